// The bounds on grading one document (issue 11): a size cap and a time limit. Grading is
// linear-ish on every shape of markdown measured (bench/adversarial.bench.ts), but linear at
// ~1–3 ms per KB is still seconds for a few MB, and a model answer, a stored response or a file
// given to `promptgate grade` can be anything. Past either bound the document is not graded: a
// GradingLimit error names which bound, and the runner records it as that cell's grading error.

/**
 * The largest document graded: 1 MiB. A full-length answer is ~20 KB; the longest answer any
 * current model can write (128k output tokens, ~4 characters each) is ~512 KB.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * The longest one document may take to parse and grade, in ms. A full-length answer takes ~20 ms;
 * 1 MB of the calibration documents took 19 s on this 2-core machine while it ran 10 other jobs
 * (5 s when idle), so a document the cap lets in still fits on a busy CI runner. With the parse
 * guard no measured shape comes near it: it is the backstop for shapes nobody has measured.
 */
export const GRADING_TIME_LIMIT_MS = 30_000;

/** A document that is not graded because it passed a bound. Deterministic for size, not for time. */
export class GradingLimit extends Error {
  override name = 'GradingLimit';
}

/** A point in time past which grading stops; checked between pieces of work, so it is cooperative. */
export class Deadline {
  private readonly end: number;

  constructor(readonly limitMs: number = GRADING_TIME_LIMIT_MS, private readonly now: () => number = () => performance.now()) {
    this.end = now() + limitMs;
  }

  /** Throws GradingLimit once the limit has passed; `doing` says what was under way. */
  check(doing: string): void {
    if (this.now() > this.end) throw new GradingLimit(`grading stopped after ${Math.round(this.limitMs / 1000)} s (the limit for one document) while ${doing}; the document is too long or too deeply nested to grade`);
  }
}

/** Refuse a document over the size cap before any work is spent on it. */
export function checkDocumentSize(text: string): void {
  // UTF-16 length ≤ UTF-8 bytes for all text except surrogate pairs (4 bytes, 2 units): a cheap
  // lower bound first, the exact count only near the cap.
  if (text.length * 3 <= MAX_DOCUMENT_BYTES) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) throw new GradingLimit(`the document is ${(bytes / (1024 * 1024)).toFixed(1)} MiB, over the ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MiB grading limit; not graded`);
}
