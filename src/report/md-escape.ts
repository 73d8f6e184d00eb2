// Escaping for GitHub-flavoured markdown: every value that did not come from promptgate itself
// (provider text, cell ids, labels, suite descriptions) goes through here before it is written
// into report.md or gate.md. A `|` in a table cell — even inside a code span — splits the row;
// a line break ends it; NUL and ESC make GitHub reject or garble the comment; `<` and `](`
// would let an error message inject HTML, links or tracking images into a pull request.

import { oneLine, withoutControls } from '../text.ts';

/**
 * Text inside a table cell (or any single-line spot): one line, `|` and backslashes escaped, no HTML
 * (`<`), and no link or image (`](` broken). Emphasis characters are left alone: at worst they
 * change how a value looks, never the table or what the page loads.
 */
export function mdCell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\]\(/g, ']\\(');
}

/** Inline code outside a table: a fence longer than any backtick run inside. */
export function mdCode(text: string): string {
  const t = oneLine(text);
  const fence = '`'.repeat(Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  // A code span that starts or ends with a backtick needs a space between it and the fence.
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Inline code inside a table cell: as mdCode, with `|` escaped (GFM unescapes it inside the span). */
export function mdCodeCell(text: string): string {
  return mdCode(text).replace(/\|/g, '\\|');
}

/** A link destination: percent-encoded, parentheses and spaces included, so the link never breaks. */
export function mdUrlPart(text: string): string {
  return encodeURIComponent(text).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A whole markdown document with control characters removed (a final pass over what is written). */
export function mdClean(text: string): string {
  return withoutControls(text);
}
