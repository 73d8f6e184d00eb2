// The pull-request comment: the verdict first and whole, report.md folded and cut to fit well
// under GitHub's 65,536 characters whatever its size, no relative links (dead in a comment), and
// the artifact linked instead. Also the script as the workflow runs it, through tsx.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from '../testing/cli.ts';
import { LIMIT, MARKER, prComment, withoutDeadLinks } from './pr-comment.ts';

const runUrl = 'https://github.com/o/r/actions/runs/42';
const artifactUrl = 'https://github.com/o/r/actions/runs/42/artifacts/7';
const verdict = '### promptgate gate: FAIL\n\n**1.3.0** against the baseline **1.1.0**: see [cost-table](report.html#cost-table).\n\n| model | Δ |\n|---|---|\n| Claude | −0.097 |';

/** A report.md of about `size` characters, with tables, a code fence and relative links on every line. */
function bigReport(size: number): string {
  const lines = ['# promptgate report', ''];
  let length = 0;
  const push = (...more: string[]) => {
    lines.push(...more);
    length += more.reduce((n, l) => n + l.length + 1, 0);
  };
  for (let i = 0; length < size; i++) {
    if (i % 50 === 0) push('```text', `block ${i}`);
    if (i % 50 === 25) push('```');
    push(`| scenario-${i} | [document](documents/${i}.md) | ![spark](spark-${i}.svg) | 0.${String(i % 1000).padStart(3, '0')} |`);
  }
  return lines.join('\n');
}

describe('prComment', () => {
  it('puts the marker, then the whole verdict first, then notes, report.md folded, and the artifact', () => {
    const body = prComment({ verdict, report: '# Report\n\nAll [good](#report).', notes: ['The graders changed:\nthe baseline was re-graded.'], runUrl, artifactUrl, runId: 'RUN1' });
    expect(body.startsWith(`${MARKER}\n\n### promptgate gate: FAIL\n`)).toBe(true);
    expect(body.indexOf('### promptgate gate')).toBeLessThan(body.indexOf('> The graders changed: the baseline was re-graded.'));
    expect(body.indexOf('> The graders changed')).toBeLessThan(body.indexOf('<details>'));
    expect(body).toContain('<details><summary>report.md');
    expect(body).toContain('All [good](#report).');
    expect(body).toContain('see cost-table.'); // report.html is not in a comment
    expect(body).not.toContain('report.html#');
    expect(body.trim().split('\n').at(-1)).toBe(`The whole run — results.json, report.html with every document, junit.xml — is in [the run's artifact promptgate-run-RUN1](${artifactUrl}) of [this workflow run](${runUrl}).`);
  });

  it('says the gate did not run, with the job log, when there is no gate.md', () => {
    const body = prComment({ verdict: null, report: null, runUrl });
    expect(body).toContain(`### promptgate gate: did not run\n\nThe gate did not run; see the log of [this workflow run](${runUrl}).`);
    expect(body).not.toContain('<details>');
    expect(body).toContain(`is in the artifacts of [this workflow run](${runUrl}).`);
  });

  it.each([150_000, 500_000, 3_000_000])('cuts a %i-character report.md to fit, never the verdict, closing its code fence and details', (size) => {
    const report = bigReport(size);
    const body = prComment({ verdict, report, runUrl, artifactUrl });
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    expect(body.length).toBeGreaterThan(LIMIT - 1_000);
    expect(body).toContain(withoutDeadLinks(verdict));
    expect(body).toMatch(/\*\*… report\.md cut here to fit a comment \([\d,]+ of [\d,]+ characters\); all of it is in \[the run's artifact\]/);
    const folded = body.slice(body.indexOf('<details>'), body.lastIndexOf('</details>'));
    expect(folded.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    expect(body).not.toMatch(/\]\((documents|spark)/);
    expect(body.trim().endsWith(`of [this workflow run](${runUrl}).`)).toBe(true);
  });

  it('keeps a report that fits whole', () => {
    const report = bigReport(20_000);
    const body = prComment({ verdict, report, runUrl });
    expect(body).toContain(withoutDeadLinks(report));
    expect(body).not.toContain('cut here');
  });

  it('keeps even an absurdly long verdict postable, saying where the rest is', () => {
    const long = `### promptgate gate: FAIL\n\n${'- a reason that goes on and on\n'.repeat(4_000)}`;
    const body = prComment({ verdict: long, report: 'a long report\n'.repeat(1_000), runUrl });
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    expect(body).toMatch(/\*\*… verdict cut here to fit a comment/);
    expect(body).toContain('report.md did not fit in this comment');
  });
});

describe('withoutDeadLinks', () => {
  it('keeps the text of relative links and images, and leaves absolute links and anchors', () => {
    expect(withoutDeadLinks('[a](report.html#x) [b](https://x.y/z) [c](#here) ![d](img/d.png) [e `f`](docs/e.md "title") [g](mailto:a@b.c)')).toBe(
      'a [b](https://x.y/z) [c](#here) d e `f` [g](mailto:a@b.c)',
    );
    expect(withoutDeadLinks('<a href="report.html#doc-1">doc 1</a> and <a href="https://x.y">x</a>')).toBe('doc 1 and <a href="https://x.y">x</a>');
    expect(withoutDeadLinks('[[nested]](a.md)')).toBe('[nested]');
  });
});

describe('src/ci/pr-comment.ts as the workflow runs it', () => {
  it('reads gate.md and report.md from the run folder and prints the body', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'gate.md'), verdict);
    writeFileSync(join(dir, 'report.md'), '# Report\n\n[doc](documents/a.md)');
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'src/ci/pr-comment.ts'), '--run-dir', dir, '--run-url', runUrl, '--artifact-url', '', '--note', '', '--note', 'inconclusive'], {
      encoding: 'utf8',
      cwd: root,
    });
    expect(out.startsWith(`${MARKER}\n\n### promptgate gate: FAIL`)).toBe(true);
    expect(out).toContain('\n\n> inconclusive\n\n<details>');
    expect(out).toContain('\n\ndoc\n\n</details>');
    expect(out).toContain(`is in the artifacts of [this workflow run](${runUrl}).`);
  }, 30_000);
});
