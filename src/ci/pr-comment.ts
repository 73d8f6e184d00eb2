// The body of the one pull-request comment the prompt-eval workflow keeps up to date: the gate's
// verdict (gate.md) first and whole, then notes from the workflow, then report.md folded away
// and cut to fit, then where the whole run is (the workflow run's artifact). A comment is not
// the run folder: report.md's relative links (report.html#…, documents) point at nothing there,
// so they become plain text and the artifact is linked instead. GitHub refuses comments over
// 65,536 characters; the body stays under LIMIT, well below, whatever report.md's size.
//
// Run by the workflow after `npm ci --omit=dev` (tsx is a dependency):
//   npx tsx src/ci/pr-comment.ts --run-dir DIR --run-url URL [--artifact-url URL] [--note TEXT]... > body.md

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Finds the comment again on the next push, so it is edited rather than posted anew. */
export const MARKER = '<!-- promptgate:prompt-eval -->';
export const LIMIT = 60_000;

export interface CommentParts {
  /** gate.md, or null when the gate did not run. */
  verdict: string | null;
  /** report.md, or null when there is none. */
  report: string | null;
  /** Short lines from the workflow (a re-graded baseline, an inconclusive verdict taken as a pass). */
  notes?: readonly string[];
  /** The workflow run. */
  runUrl: string;
  /** The uploaded run folder, when the upload worked. */
  artifactUrl?: string | null;
  runId?: string | null;
}

export function prComment(parts: CommentParts): string {
  const where = parts.artifactUrl
    ? `[the run's artifact${parts.runId ? ` promptgate-run-${parts.runId}` : ''}](${parts.artifactUrl}) of [this workflow run](${parts.runUrl})`
    : `the artifacts of [this workflow run](${parts.runUrl})`;
  const footer = `The whole run — results.json, report.html with every document, junit.xml — is in ${where}.`;
  let verdict = parts.verdict?.trim() ? withoutDeadLinks(parts.verdict.trim()) : `### promptgate gate: did not run\n\nThe gate did not run; see the log of [this workflow run](${parts.runUrl}).`;
  const notes = (parts.notes ?? []).filter((n) => n.trim()).map((n) => `> ${oneLine(n).slice(0, 1_000)}`);
  const noteBlock = notes.length ? [notes.join('\n>\n')] : [];
  const size = (xs: string[]) => xs.join('\n\n').length + 2;
  // What is left once the verdict is in, for report.md or the line saying it did not fit.
  const RESERVE = 500;
  const fixed = size([MARKER, '', ...noteBlock, footer]);
  if (fixed + verdict.length + RESERVE > LIMIT) {
    // Cannot happen with the gate's markdown (a few KB); if it ever does, a cut verdict still
    // says where the rest is, where an over-long comment would not be posted at all.
    verdict = cut(verdict, LIMIT - fixed - RESERVE - 400, 'verdict', where);
  }
  const sections = [MARKER, verdict, ...noteBlock];
  const room = LIMIT - size([...sections, footer]) - 2;
  const report = parts.report?.trim() ? withoutDeadLinks(parts.report.trim()) : null;
  const fold = (body: string) => `<details><summary>report.md (every comparison of this run; report.html in the artifact has the documents)</summary>\n\n${body}\n\n</details>`;
  if (report) {
    const wrapper = fold('').length;
    if (report.length + wrapper <= room) sections.push(fold(report));
    else if (room - wrapper > 2_000) sections.push(fold(cut(report, room - wrapper - 400, 'report.md', where)));
    else sections.push(`report.md did not fit in this comment; it is in ${where}.`);
  }
  sections.push(footer);
  return `${sections.join('\n\n')}\n`;
}

/**
 * Markdown without links that are dead inside a comment: a relative link (report.html#…,
 * documents/…) or image keeps only its text. Absolute links and in-page anchors stay.
 */
export function withoutDeadLinks(markdown: string): string {
  const live = (target: string) => /^(https?:|mailto:|#)/i.test(target.trim());
  return markdown
    .replace(/!?\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*([^)\s]*)(?:\s+"[^"]*")?\s*\)/g, (link, text: string, target: string) => (live(target) ? link : text))
    .replace(/<a\s+[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (link, target: string, text: string) => (live(target) ? link : text));
}

/** `text` cut to at most `max` characters at a line end, with open code fences and <details> closed. */
function cut(text: string, max: number, what: string, where: string): string {
  let kept = text.slice(0, Math.max(0, max));
  const nl = kept.lastIndexOf('\n');
  if (nl > 0) kept = kept.slice(0, nl);
  const fences = kept.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) kept += '\n```';
  const open = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
  kept += '\n\n</details>'.repeat(Math.max(0, open));
  return `${kept}\n\n**… ${what} cut here to fit a comment (${kept.length.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters); all of it is in ${where}.**`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { 'run-dir': { type: 'string' }, 'run-url': { type: 'string' }, 'artifact-url': { type: 'string' }, 'run-id': { type: 'string' }, note: { type: 'string', multiple: true } },
    strict: true,
  });
  if (!values['run-url']) throw new Error('pr-comment: --run-url is required');
  const read = (file: string) => (values['run-dir'] && existsSync(join(values['run-dir'], file)) ? readFileSync(join(values['run-dir'], file), 'utf8') : null);
  process.stdout.write(
    prComment({ verdict: read('gate.md'), report: read('report.md'), notes: values.note ?? [], runUrl: values['run-url'], artifactUrl: values['artifact-url'] || null, runId: values['run-id'] || null }),
  );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main(process.argv.slice(2));
