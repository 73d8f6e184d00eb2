// Structure of report.md and junit.xml on a fixed synthetic run (2 versions × 16 scenarios × 2
// models × 3 samples, real documents graded by the real graders, with a truncated, a refused and
// an errored cell and an XSS payload), alone and compared with another run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { graders } from '../../graders/index.ts';
import { tempDir } from '../testing/cli.ts';
import { buildReport } from './build.ts';
import { syntheticRun, type SyntheticRun } from '../../bench/report/fixture.ts';
import { loadRun } from './load.ts';
import { MAX_CHARS, renderMarkdown } from './markdown.ts';
import { writeReports, type WrittenReports } from './write.ts';

let run: SyntheticRun;
let written: WrittenReports;
let md: string;
let junit: string;

beforeAll(async () => {
  run = syntheticRun({ root: tempDir() });
  written = await writeReports(run.dir);
  md = readFileSync(written.md, 'utf8');
  junit = readFileSync(written.junit, 'utf8');
}, 180_000);

const section = (text: string, heading: string) => {
  const start = text.indexOf(`### ${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n### ', start + 4);
  return text.slice(start, end < 0 ? undefined : end);
};
const tableRows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| grader') && !/^\| (version|scenario|model|cell|) ?\|/.test(l));

describe('report.md', () => {
  it('has every section of the issue, in order, under the comment limit', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.replace(/ \(.*$/, ''));
    expect(headings).toEqual(['### Verdict', '### Version × model', '### Graders: pass rate · mean', '### Flips', '### Scenario heat map', '### Tokens, cost and latency per model', '### Truncated, refused and errored cells', '### Prompt diff and score diff']);
    expect(md.length).toBeLessThan(65_000);
  });

  it('opens with the headline: suite, run, versions with short sha, models, cells, errors, cost, duration', () => {
    const head = md.slice(0, md.indexOf('### Verdict'));
    expect(head).toContain('evals/synthetic.yaml');
    expect(head).toContain(run.runId);
    expect(head).toMatch(/1\.1\.0 \(`[0-9a-f]{12}`\), 1\.2\.0 \(`[0-9a-f]{12}`\)/);
    expect(head).toContain('Claude Sonnet 5.5, GPT-5.6 Terra');
    expect(head).toMatch(/\*\*Cells\*\* 192\/192 \(189 ok, 1 truncated, 1 refused, 1 errors, 0 from the store; and 4 hand-written references\)/);
    expect(head).toMatch(/\*\*Cost\*\* \$\d+\.\d\d · \*\*Duration\*\* \d+m \d\ds/);
  });

  it('gives one verdict sentence per compared pair with a 95% CI', () => {
    const verdicts = section(md, 'Verdict').split('\n').filter((l) => l.startsWith('- '));
    const ci = String.raw`[+-]\d\.\d{2,3} \[95% CI [+-]\d\.\d{2,3}, [+-]\d\.\d{2,3}\]`;
    const versionPairs = verdicts.filter((l) => l.includes('1.2.0') && l.includes('1.1.0'));
    expect(versionPairs).toHaveLength(2);
    for (const l of versionPairs) expect(l).toMatch(new RegExp(`1\\.2\\.0 (beats|is worse than|vs) 1\\.1\\.0 .*on (Claude Sonnet 5\\.5|GPT-5\\.6 Terra)(:| by) ${ci}`));
    expect(verdicts.filter((l) => l.includes('Claude Sonnet 5.5') && l.includes('GPT-5.6 Terra') && l.includes('cost per document'))).toHaveLength(2);
  });

  it('has the version × model matrix with CI, pass rate, cost per cell and per quality point, and labels the references as hand-written', () => {
    const rows = tableRows(section(md, 'Version × model'));
    expect(rows).toHaveLength(5);
    for (const r of rows.slice(0, 4)) expect(r).toMatch(/^\| 1\.[12]\.0 \| (Claude Sonnet 5\.5|GPT-5\.6 Terra) \| \d\.\d\d \[\d\.\d\d, \d\.\d\d\] \| \d+% \| 48 \| [01] \| \$0\.\d+ \| \$0\.\d+ \|$/);
    expect(rows[4]).toMatch(/^\| — \| Hand-written reference \| (0\.9\d|1\.00)/);
    expect(md).not.toMatch(/hand-written \|.*\$0\.\d/);
  });

  it('lists every grader with pass rate and mean per version × model, with ▲/▼ deltas on the newer version', () => {
    const rows = tableRows(section(md, 'Graders'));
    // Every grader that grades a single answer (the revision grader reads later turns only).
    expect(rows).toHaveLength(graders.filter((g) => !g.needsRevision).length);
    expect(rows[0]).toMatch(/^\| \*\*sections\*\* \(hard\) \| \d+% · \d\.\d\d \|/);
    expect(rows.some((r) => /[▲▼][+-]\d+pp/.test(r))).toBe(true);
    // The first version has nothing to compare with: no arrows in its columns.
    for (const r of rows) expect(r.split(' | ').slice(1, 3).join(' ')).not.toMatch(/[▲▼]/);
  });

  it('lists flips with links to both documents', () => {
    const rows = tableRows(section(md, 'Flips'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatch(/\[before\]\(report\.html#cell=1\.1\.0%7C[^)]+\) · \[after\]\(report\.html#cell=1\.2\.0%7C[^)]+\)/);
  });

  it('has a heat-map row per scenario and a column per version × model plus the references', () => {
    const rows = tableRows(section(md, 'Scenario heat map'));
    expect(rows).toHaveLength(16);
    for (const r of rows) expect(r.split(' | ')).toHaveLength(6);
  });

  it('lists tokens, cost and p50/p95 latency per model, and the truncated, refused and errored cells', () => {
    const usage = tableRows(section(md, 'Tokens, cost'));
    expect(usage).toHaveLength(2);
    for (const r of usage) expect(r).toMatch(/\| 96 \| \d+k \| \d+k \| 0 \| \$\d+\.\d\d \| \d+\.\d s \| \d+\.\d s \|$/);
    const problems = tableRows(section(md, 'Truncated, refused'));
    expect(problems.map((r) => r.split(' | ')[1])).toEqual(expect.arrayContaining(['truncated', 'refused', 'error']));
    expect(problems.join('\n')).toContain('overloaded (HTTP 529): the gateway answered &lt;script>');
    expect(md).not.toMatch(/<(script|img)/i);
  });

  it('puts the prompt diff next to the score diff', () => {
    const diff = section(md, 'Prompt diff and score diff');
    expect(diff).toMatch(/#### 1\.1\.0 \(`[0-9a-f]{12}`\) → 1\.2\.0/);
    expect(tableRows(diff).filter((r) => /\| [+-]\d\.\d+ \[/.test(r))).toHaveLength(2);
    expect(diff).toMatch(/```diff\n[\s\S]*\n\+[^\n]*\n[\s\S]*```/);
  });

  it('cuts long tables with a note naming the full report to stay under the limit', () => {
    const model = buildReport(loadRun(run.dir));
    const many = Array.from({ length: 4000 }, (_, i) => ({ ...model.problems[0]!, id: `${model.problems[0]!.id}-${i}`, error: 'x'.repeat(40) }));
    const text = renderMarkdown({ ...model, problems: many });
    expect(text.length).toBeLessThanOrEqual(MAX_CHARS);
    expect(text).toMatch(/_… \d+ more cells not shown here: see report\.html in `[^`]+`\._/);
    expect(text).toContain('### Prompt diff and score diff');
  });

  it('is the same byte for byte when written again (seeded bootstrap, no clock)', async () => {
    const html = readFileSync(written.html, 'utf8');
    const again = await writeReports(run.dir);
    expect(readFileSync(again.md, 'utf8')).toBe(md);
    expect(readFileSync(again.junit, 'utf8')).toBe(junit);
    expect(readFileSync(again.html, 'utf8')).toBe(html);
  }, 180_000);
});

describe('report.md compared with another run', () => {
  it('says which run it compares with and gives a verdict per model against it', async () => {
    const older = syntheticRun({ root: tempDir(), runId: '2026-11-01T09-00-00Z-older', versions: ['1.1.0'], shift: -0.3, extras: false });
    const out = await writeReports(run.dir, { compare: { runDir: older.dir } });
    const text = readFileSync(out.md, 'utf8');
    expect(text).toContain('**Compared with** run 2026-11-01T09-00-00Z-older');
    const verdicts = section(text, 'Verdict').split('\n').filter((l) => l.includes('in this run'));
    // Each of this run's versions × models against the older run's 1.1.0 on the same model.
    expect(verdicts).toHaveLength(4);
    expect(verdicts.join('\n')).toMatch(/1\.2\.0 in this run beats 1\.1\.0 in run 2026-11-01T09-00-00Z-older on Claude Sonnet 5\.5 by \+\d\.\d+ \[95% CI \+/);
    expect(section(text, 'Graders')).toContain('against run 2026-11-01T09-00-00Z-older');
  }, 180_000);
});

/** A small well-formedness check: every tag closes in order, attributes are quoted, entities known. */
function wellFormed(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  for (const m of body.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(amp|lt|gt|quot|apos);)/g)) {
    if (!m[2]) throw new Error(`stray ${m[0]} at ${m.index}: ${body.slice(m.index! - 40, m.index! + 40)}`);
    if (m[1]) expect(stack.pop(), `closing ${m[2]}`).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

describe('junit.xml', () => {
  it('is well-formed XML with a test suite per version × model and a test case per cell', () => {
    wellFormed(junit);
    const suites = [...junit.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)];
    expect(suites.map((s) => s[1])).toEqual(['1.1.0 · Claude Sonnet 5.5', '1.1.0 · GPT-5.6 Terra', '1.2.0 · Claude Sonnet 5.5', '1.2.0 · GPT-5.6 Terra', 'Hand-written reference']);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(196);
    const totals = junit.match(/<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/)!;
    const results = JSON.parse(readFileSync(join(run.dir, 'results.json'), 'utf8')) as { cells: { pass: boolean | null; status: string }[] };
    expect(Number(totals[1])).toBe(196);
    expect(Number(totals[2])).toBe(results.cells.filter((c) => c.pass === false).length);
    expect(Number(totals[3])).toBe(1);
  });

  it('reports failing hard graders as failures with their reasons, and a failed cell as an error', () => {
    const failures = [...junit.matchAll(/<failure message="([^"]*)" type="([^"]+)">/g)];
    expect(failures.length).toBeGreaterThan(0);
    const hard = failures.filter((f) => f[2] === 'hard-grader');
    expect(hard.length).toBeGreaterThan(0);
    for (const f of hard) expect(f[1]).toMatch(/^(sections|word-count|cost-table): \S/);
    for (const f of failures.filter((x) => x[2] === 'threshold')) expect(f[1]).toMatch(/below the pass threshold 0\.8/);
    expect(junit).toMatch(/<testcase name="finance-close-onprem-batch #0" classname="promptgate\.1\.1\.0\.openai:gpt-5\.6-terra" time="0\.000">\n {6}<error message="overloaded \(HTTP 529\)[^"]*" type="generation-error">/);
    expect(junit).toMatch(/<testcase name="ecommerce-hybrid \(hand-written reference\)" classname="promptgate\.reference"/);
  });

  it('escapes untrusted text (an error message quoting a server response)', () => {
    expect(junit).toContain('the gateway answered &lt;script&gt;window.__xss = &quot;script&quot;&lt;/script&gt;');
    expect(junit).not.toMatch(/<(script|img)/);
  });
});
