// What the markdown parser is given, bounded so that parsing stays linear-ish (issue 11).
// remark (micromark) is superlinear on a few valid shapes, measured with bench/adversarial.bench.ts:
// - inline delimiters (`*`, `_`, `[`, `]`, backticks, GFM's `~`) in one paragraph: every closer looks back
//   over the openers, and each match splices the event list; 8 KB of `*a` took 2 s, 32 KB 20 s;
//   `[[[…]]]` and `[a](` repeated the same way; and `<` (an HTML tag or autolink never closed:
//   each one reads on to the paragraph's end; 200 KB of `<a ` took 26 s);
// - nesting: every line re-checks every open container; a 5 KB line of `>` overflowed the stack,
//   700 list levels made by indentation took 37 s for 500 KB.
// So the parser gets a copy in which, beyond a budget, such characters are replaced one for one
// with private-use stand-ins: the parser reads them as plain text (as if escaped), and `restore`
// maps them back in every text the document model keeps (titles, cells, code, list items). Line
// numbers and lengths do not change (one UTF-16 unit for one), except that indentation past
// MAX_INDENT (MAX_CODE_INDENT in code fences) is shortened. Searches and word counts read the
// original lines.
// No real document comes near a budget: the most delimiters in one block of any calibration,
// fixture or reference document is 71 (limit 256); the deepest nesting 4 (limit 16).

/** Inline delimiters parsed per block (text between blank lines; per row in a table). */
export const DELIMITER_BUDGET = 256;
/** Container markers (`>`, list bullets) opened on one line. */
export const NESTING_BUDGET = 16;
/** Columns of indentation kept outside code fences (list nesting comes from indentation). */
export const MAX_INDENT = 64;
/** ... and inside them, where indentation is the code's own. */
export const MAX_CODE_INDENT = 256;

const STAND_IN: Record<string, string> = {
  '*': '\uE000',
  _: '\uE001',
  '[': '\uE002',
  ']': '\uE003',
  '`': '\uE004',
  '~': '\uE00A',
  '<': '\uE00B',
  '>': '\uE005',
  '-': '\uE006',
  '+': '\uE007',
  '.': '\uE008',
  ')': '\uE009',
};
const ORIGINAL = new Map(Object.entries(STAND_IN).map(([k, v]) => [v, k]));
const STAND_INS = /[\uE000-\uE00B]/g;
const DELIMITERS = /[*_[\]`~<]/g;
const FENCE = /^\s*(`{3,}|~{3,})/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
/** The container prefix of a line: blockquote markers and list markers with what follows them. */
const CONTAINER = /^[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/;

export interface Guarded {
  /** The text to parse: the source, or a bounded copy of it. */
  text: string;
  /** Maps stand-ins back to the characters they replaced (the identity when nothing was replaced). */
  restore: (s: string) => string;
}

const identity = (s: string) => s;

export function guardForParse(source: string): Guarded {
  // The common case costs one scan: a text short of every budget is parsed as it is.
  if (!needsGuard(source)) return { text: source, restore: identity };
  // A text that already holds the stand-in characters would have them "restored" wrongly: in the
  // copy they become U+FFFD (only in texts that need a guard at all).
  const lines = source.replace(STAND_INS, '\uFFFD').split('\n');
  let budget = DELIMITER_BUDGET;
  let fence: string | null = null;
  let table = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      budget = DELIMITER_BUDGET;
      table = false;
      continue;
    }
    // Stand-ins are restored in code too, so code is bounded like the rest: a line this guard took
    // for a fence that the parser does not (an indented one in a paragraph) cannot open a way
    // round it. Only the fence marker itself is kept, so that every fence still closes.
    const marker = FENCE.exec(line);
    let head = '';
    let rest = line;
    if (marker) {
      const run = marker[1]!;
      if (fence === null || (run[0] === fence[0] && run.length >= fence.length)) fence = fence === null ? run : null;
      head = marker[0];
      rest = line.slice(head.length);
    } else {
      if (!table && i > 0 && lines[i - 1]!.includes('|') && DELIMITER_ROW.test(line) && line.includes('-')) table = true;
      // Indentation inside code is the code's own (deep YAML): shortened only where absurd.
      rest = boundNesting(boundIndent(line, fence === null ? MAX_INDENT : MAX_CODE_INDENT));
    }
    if (table) budget = DELIMITER_BUDGET; // each cell is parsed on its own: a budget per row
    DELIMITERS.lastIndex = 0;
    let count = 0;
    for (let m = DELIMITERS.exec(rest); m; m = DELIMITERS.exec(rest)) count++;
    if (count > budget) {
      let left = budget;
      rest = rest.replace(DELIMITERS, (c) => (left-- > 0 ? c : STAND_IN[c]!));
      budget = 0;
    } else budget -= count;
    lines[i] = head + rest;
  }
  return { text: lines.join('\n'), restore: (s) => s.replace(STAND_INS, (c) => ORIGINAL.get(c)!) };
}

/** Whether any line could pass a budget: many delimiters overall, a deep prefix or indentation. */
function needsGuard(source: string): boolean {
  let delimiters = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    // * _ [ ] ` ~ <
    if (c === 42 || c === 95 || c === 91 || c === 93 || c === 96 || c === 126 || c === 60) delimiters++;
  }
  if (delimiters > DELIMITER_BUDGET) return true;
  // Nesting and indentation need as many characters at the start of a line.
  const deep = new RegExp(`^(?:[ \\t]*(?:>|[-+*]|\\d{1,9}[.)])){${NESTING_BUDGET + 1}}|^[ \\t]{${MAX_INDENT + 1}}`, 'm');
  return deep.test(source);
}

/** Indentation past `max` columns shortened to it (a tab counts to the next multiple of 4). */
function boundIndent(line: string, max: number): string {
  const lead = /^[ \t]*/.exec(line)![0];
  if (lead.length <= max / 4) return line;
  let columns = 0;
  for (const c of lead) columns += c === '\t' ? 4 - (columns % 4) : 1;
  return columns > max ? ' '.repeat(max) + line.slice(lead.length) : line;
}

/** Container markers past NESTING_BUDGET on one line replaced with stand-ins (plain text). */
function boundNesting(line: string): string {
  let rest = line;
  let at = 0;
  for (let n = 0; ; n++) {
    const m = CONTAINER.exec(rest);
    if (!m) return line;
    if (n === NESTING_BUDGET) {
      const start = at + m[0].length - 1;
      const c = line[start]!;
      // A numbered marker's "." or ")" is the character that makes it a marker.
      return line.slice(0, start) + STAND_IN[c]! + line.slice(start + 1);
    }
    at += m[0].length;
    rest = rest.slice(m[0].length);
  }
}
