// The document model every grader shares. A model's markdown is parsed once, with remark and
// the GFM extensions (markdownProcessor), into plain data: sections with line ranges, tables,
// code blocks, list items and word counts. Graders never parse markdown themselves; that keeps
// grading cheaper than the parse and makes every grader see the same document.
//
// Line numbers are 1-based and refer to the text the model wrote (front matter is blanked, not
// removed, so that lines keep their numbers).
//
// A parsed document is not changed afterwards: what graders derive from it alone (the searchable
// lines, cost tables, the stack) is computed once per document and shared (`perDocument`).

import type { Root, RootContent, Table as MdTable, ListItem as MdListItem, PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Deadline } from './limits.ts';
import { guardForParse } from './parse-guard.ts';

export type HeadingKind = 'atx' | 'setext' | 'bold';

export interface Section {
  /** Heading text as written, without markdown markup. */
  title: string;
  /** Heading text lower-cased, numbering ("2.3", "IV.", "Step 4:") and trailing colons removed. */
  key: string;
  /** 1–6 for markdown headings; 7 for a bold-only line, so it nests under the nearest real heading. */
  depth: number;
  kind: HeadingKind;
  line: number;
  /** Last line that belongs to this section, its subsections included. */
  endLine: number;
  /** Index of the enclosing section in `Document.sections`, or null at the top. */
  parent: number | null;
}

export interface TableRow {
  line: number;
  cells: string[];
}

export interface Table {
  line: number;
  endLine: number;
  header: string[];
  rows: TableRow[];
}

export interface CodeBlock {
  lang: string | null;
  value: string;
  fenced: boolean;
  line: number;
  endLine: number;
}

export interface ListItem {
  line: number;
  endLine: number;
  /** Nesting level: 0 for a top-level item. */
  level: number;
  /** The item's own first line of text (its lead), without nested lists. */
  lead: string;
  /** The first bold span of the lead, if the item starts with one (`**Kafka** — ...`). */
  bold: string | null;
  /** All text of the item, nested items included. */
  text: string;
}

export interface WordCounts {
  /** Words outside code blocks (tables and inline code included). */
  prose: number;
  /** Words in table cells (a subset of prose). */
  tables: number;
  /** Words in fenced and indented code blocks. */
  code: number;
}

export interface Match {
  line: number;
  column: number;
  text: string;
}

export interface Document {
  /** The text as parsed: CRLF → LF, BOM dropped, front matter blanked. */
  source: string;
  lines: string[];
  empty: boolean;
  sections: Section[];
  tables: Table[];
  code: CodeBlock[];
  items: ListItem[];
  words: WordCounts;
  /** `inCode[line]` is true for lines inside a code block (index 0 unused). */
  inCode: boolean[];
  /**
   * `quoted[line]` is true inside a ```markdown block: text shown as a listing, not as content.
   * Searches skip it, so an answer wrapped whole in such a fence earns nothing from its words.
   */
  quoted: boolean[];
}

/**
 * The markdown parser: remark with GitHub's extensions as remark-gfm adds them — tables,
 * footnotes, strikethrough, task lists — except autolink literals (a bare `https://…` or
 * `www.…` becoming a link node). No grader reads links, the text of a link is the text as
 * written, and that one extension cost 30% of every parse (measured on the 60 calibration
 * documents: 33 → 23 ms each). Grading all 185 documents of the fixtures and datasets against
 * four scenarios gave the same document model and the same grades with and without it.
 */
export const markdownProcessor = unified().use(remarkParse).use(function gfmWithoutAutolinkLiterals(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
});

/** Parse markdown text into the shared document model; `deadline` is checked between pieces. */
export function parseDocument(text: string, deadline?: Deadline): Document {
  const source = blankFrontMatter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const lines = source.split('\n');
  const model: Collected = { headings: [], tables: [], code: [], items: [] };
  // The parser reads a copy bounded against its superlinear shapes (parse-guard.ts).
  const guarded = guardForParse(source);
  const parsed = guarded.text === source ? lines : guarded.text.split('\n');
  for (const chunk of chunks(guarded.text, parsed)) {
    deadline?.check('parsing the markdown');
    collect(markdownProcessor.parse(chunk.text) as Root, lines, chunk.offset, model, guarded.restore);
  }
  const inCode = new Array<boolean>(lines.length + 2).fill(false);
  const quoted = new Array<boolean>(lines.length + 2).fill(false);
  for (const block of model.code) {
    const markdown = block.lang === 'markdown' || block.lang === 'md';
    for (let l = block.line; l <= block.endLine; l++) {
      inCode[l] = true;
      if (markdown) quoted[l] = true;
    }
  }
  return {
    source,
    lines,
    empty: source.trim() === '',
    sections: buildSections(model.headings, lines.length),
    tables: model.tables,
    code: model.code,
    items: model.items,
    words: countWords(lines, inCode, model.tables),
    inCode,
    quoted,
  };
}

/** Text of lines `from`..`to` (1-based, inclusive). */
export function linesText(doc: Document, from: number, to: number): string {
  return doc.lines.slice(from - 1, to).join('\n');
}

/**
 * A value derived from a document alone, computed once per document. The model is never changed
 * after parsing, so every grader (and every re-grade of the same parsed document against another
 * scenario) can share what is derived from it; the WeakMap lets it go with the document. Callers
 * must treat what they get as read-only.
 */
export function perDocument<T>(derive: (doc: Document) => T): (doc: Document) => T {
  const cache = new WeakMap<Document, T>();
  return (doc) => {
    if (cache.has(doc)) return cache.get(doc)!;
    const value = derive(doc);
    cache.set(doc, value);
    return value;
  };
}

export interface SearchLine {
  line: number;
  text: string;
}

// Nearly every grader reads the searchable lines, some several times: list them once per document.
const allLines = perDocument((doc) => searchLines(doc, false));
const proseLines = perDocument((doc) => searchLines(doc, true));

function searchLines(doc: Document, prose: boolean): readonly SearchLine[] {
  const out: SearchLine[] = [];
  for (let i = 0; i < doc.lines.length; i++) {
    const line = i + 1;
    if (doc.quoted[line] || (prose && doc.inCode[line])) continue;
    out.push({ line, text: doc.lines[i]! });
  }
  return out;
}

/** The lines a search reads (1-based numbers), in order: all but quoted ones; `prose: true` also skips code. */
export function searchable(doc: Document, opts: { prose?: boolean } = {}): readonly SearchLine[] {
  return opts.prose ? proseLines(doc) : allLines(doc);
}

/** Where each line starts in `doc.source` (`lines` is `source` split at newlines). */
const lineStarts = perDocument((doc) => {
  const starts: number[] = [];
  let offset = 0;
  for (const text of doc.lines) {
    starts.push(offset);
    offset += text.length + 1;
  }
  return starts;
});

/** The line (1-based) that holds a position of `doc.source`. */
export function lineAtOffset(doc: Document, offset: number): number {
  const starts = lineStarts(doc);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The searchable lines from line `from` on. */
export function searchableFrom(doc: Document, from: number, opts: { prose?: boolean } = {}): readonly SearchLine[] {
  const lines = searchable(doc, opts);
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.line < from) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? lines : lines.slice(lo);
}

// findAll needs a global regex to step through a line; graders pass pattern constants, so the
// global copy of each is made once, not per call. (A copy is never used by two searches at once:
// grading is synchronous, and findAll resets lastIndex before each line.)
const globalCopies = new WeakMap<RegExp, RegExp>();

function globalCopy(re: RegExp): RegExp {
  let copy = globalCopies.get(re);
  if (!copy) globalCopies.set(re, (copy = new RegExp(re.source, re.flags + 'g')));
  return copy;
}

/**
 * Every match of `re` in the searchable lines, with its position. `opts.lines`, when given, is a
 * cheap test that every line holding a match passes (a character the pattern cannot match
 * without): other lines are skipped unread, which spares a pattern that backtracks a lot.
 */
export function findAll(doc: Document, re: RegExp, opts: { prose?: boolean; lines?: RegExp } = {}): Match[] {
  const out: Match[] = [];
  const global = re.global ? re : globalCopy(re);
  for (const { line, text } of searchable(doc, opts)) {
    if (opts.lines && !opts.lines.test(text)) continue;
    global.lastIndex = 0;
    for (let m = global.exec(text); m; m = global.exec(text)) {
      out.push({ line, column: m.index + 1, text: m[0] });
      if (m[0] === '') global.lastIndex++;
    }
  }
  return out;
}

/** The first match of `re` in the searchable lines: `findAll(...)[0]`, without reading on. */
export function findFirst(doc: Document, re: RegExp, opts: { prose?: boolean } = {}): Match | undefined {
  // A global or sticky regex carries state from call to call: leave it to findAll.
  if (re.global || re.sticky) return findAll(doc, re, opts)[0];
  for (const { line, text } of searchable(doc, opts)) {
    const m = re.exec(text);
    if (m) return { line, column: m.index + 1, text: m[0] };
  }
  return undefined;
}

/**
 * For each line, whether it lies under a heading or a list item whose own text matches `re`
 * (a line's context: "### Silver layer" or "- **Raw → clean**" above a nested rule). The text
 * tested is lower-cased (section keys, item leads). Index 0 unused.
 */
export function underMatching(doc: Document, re: RegExp, opts: { items?: boolean } = {}): boolean[] {
  const marked = new Array<boolean>(doc.lines.length + 2).fill(false);
  const mark = (from: number, to: number) => {
    for (let l = from; l <= to; l++) marked[l] = true;
  };
  for (const s of doc.sections) if (re.test(s.key)) mark(s.line, s.endLine);
  if (opts.items !== false) {
    const leads = lowerLeads(doc);
    doc.items.forEach((item, i) => {
      if (re.test(leads[i]!)) mark(item.line, item.endLine);
    });
  }
  return marked;
}

// underMatching runs several times per document (quality-gates asks for six contexts).
const lowerLeads = perDocument((doc) => doc.items.map((i) => i.lead.toLowerCase()));

/** The innermost section that contains `line`, or null before the first heading. */
export function sectionAt(doc: Document, line: number): Section | null {
  // Sections are in document order: find the last one starting at or before the line (binary
  // search; graders call this per line), then climb to the first ancestor that reaches it.
  let lo = 0;
  let hi = doc.sections.length - 1;
  let index = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (doc.sections[mid]!.line <= line) {
      index = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let section = index >= 0 ? doc.sections[index]! : null;
  while (section && section.endLine < line) section = section.parent === null ? null : doc.sections[section.parent]!;
  return section;
}

/** Sections whose key matches `re`, in document order. */
export function findSections(doc: Document, re: RegExp): Section[] {
  return doc.sections.filter((s) => re.test(s.key));
}

/** Normalise a heading for matching: lower case, numbering and trailing punctuation removed. */
export function headingKey(title: string): string {
  return title
    .toLowerCase()
    .replace(/^\s*(?:(?:section|step|part|phase|appendix)\s+)?(?:\d+(?:\.\d+)*|[ivx]+|[a-h])[.):]?\s+/, '')
    .replace(/[:.\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Heading {
  title: string;
  depth: number;
  kind: HeadingKind;
  line: number;
}

interface Collected {
  headings: Heading[];
  tables: Table[];
  code: CodeBlock[];
  items: ListItem[];
}

// Long inputs are parsed in pieces: one 10 MB tree took 29 s here (mostly garbage collection),
// 64 KB pieces 17.5 s. A piece ends at a blank line before an unindented line outside any
// fence, so no block that graders read (heading, table, code block, list) spans a cut.
const CHUNK_CHARS = 64 * 1024;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

// A block with no such line in it (one huge list, paragraph or blockquote) is cut anyway past
// FORCED_CUT_CHARS, before an unindented line: the parse of one big tree grows faster than its
// size (measured: 256 → 512 KB of nested list took 6 → 18 s, normal text chunked 4 → 10 s). Not
// inside a table (rows after a cut would lose their header) nor before a setext underline.
const FORCED_CUT_CHARS = 2 * CHUNK_CHARS;

function forcedCut(line: string, next: string): boolean {
  return /^[^\s|]/.test(next) && !line.includes('|') && !next.includes('|') && !/^(?:=+|-+)\s*$/.test(next);
}

function* chunks(source: string, lines: string[]): Generator<{ text: string; offset: number }> {
  // The running size below never reaches CHUNK_CHARS before the last line of a shorter text, so
  // such a text (nearly every answer) is one piece: no need to look for a cut line by line.
  if (source.length < CHUNK_CHARS) {
    yield { text: source, offset: 0 };
    return;
  }
  let start = 0;
  let size = 0;
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === null ? marker : null;
    }
    size += line.length + 1;
    const next = lines[i + 1];
    if (fence === null && next !== undefined && ((size >= CHUNK_CHARS && line.trim() === '' && /^\S/.test(next)) || (size >= FORCED_CUT_CHARS && forcedCut(line, next)))) {
      yield { text: lines.slice(start, i + 1).join('\n'), offset: start };
      start = i + 1;
      size = 0;
    }
  }
  yield { text: lines.slice(start).join('\n'), offset: start };
}

function collect(tree: Root, lines: string[], offset: number, out: Collected, restore: (s: string) => string): void {
  const walk = (nodes: RootContent[], listLevel: number): void => {
    for (const node of nodes) {
      const start = (node.position?.start.line ?? 1) + offset;
      const end = (node.position?.end.line ?? 1) + offset;
      switch (node.type) {
        case 'heading': {
          const kind = /^\s{0,3}#/.test(lines[start - 1] ?? '') ? 'atx' : 'setext';
          out.headings.push({ title: restore(toString(node).trim()), depth: node.depth, kind, line: start });
          break;
        }
        case 'paragraph': {
          const bold = boldHeading(node.children);
          if (bold !== null && start === end && listLevel < 0) {
            out.headings.push({ title: restore(bold), depth: 7, kind: 'bold', line: start });
          }
          break;
        }
        case 'table':
          out.tables.push(tableOf(node, offset, restore));
          break;
        case 'code': {
          const fenced = /^\s*(```|~~~)/.test(lines[start - 1] ?? '');
          out.code.push({ lang: node.lang ? restore(node.lang).toLowerCase() : null, value: restore(node.value), fenced, line: start, endLine: end });
          break;
        }
        case 'list':
          for (const item of node.children) {
            out.items.push(itemOf(item, listLevel + 1, offset, restore));
            walk(item.children, listLevel + 1);
          }
          break;
        case 'blockquote':
        case 'footnoteDefinition':
          walk(node.children, listLevel);
          break;
        default:
          break;
      }
    }
  };
  walk(tree.children, -1);
}

/** A paragraph that is only bold text (optionally followed by a colon) reads as a heading. */
function boldHeading(children: PhrasingContent[]): string | null {
  const parts = children.filter((c) => !(c.type === 'text' && /^[\s:]*$/.test(c.value)));
  if (parts.length !== 1 || parts[0]!.type !== 'strong') return null;
  const title = toString(parts[0]!).replace(/:\s*$/, '').trim();
  return /\p{L}/u.test(title) && title.length <= 120 ? title : null;
}

function tableOf(node: MdTable, offset: number, restore: (s: string) => string): Table {
  const [head, ...body] = node.children;
  const cells = (row: MdTable['children'][number]) => row.children.map((c) => restore(toString(c).trim()));
  return {
    line: (node.position?.start.line ?? 1) + offset,
    endLine: (node.position?.end.line ?? 1) + offset,
    header: head ? cells(head) : [],
    rows: body.map((row) => ({ line: (row.position?.start.line ?? 1) + offset, cells: cells(row) })),
  };
}

function itemOf(item: MdListItem, level: number, offset: number, restore: (s: string) => string): ListItem {
  const first = item.children[0];
  const lead = first && first.type === 'paragraph' ? restore(toString(first).split('\n')[0]!.trim()) : '';
  const strong = first && first.type === 'paragraph' && first.children[0]?.type === 'strong' ? restore(toString(first.children[0])) : null;
  const line = (item.position?.start.line ?? 1) + offset;
  const endLine = (item.position?.end.line ?? 1) + offset;
  return { line, endLine, level, lead, bold: strong?.trim() || null, text: restore(toString(item)) };
}

function buildSections(headings: Heading[], lastLine: number): Section[] {
  const sections: Section[] = [];
  const stack: number[] = [];
  for (const h of headings) {
    while (stack.length && sections[stack[stack.length - 1]!]!.depth >= h.depth) {
      sections[stack.pop()!]!.endLine = h.line - 1;
    }
    const parent = stack.length ? stack[stack.length - 1]! : null;
    sections.push({ title: h.title, key: headingKey(h.title), depth: h.depth, kind: h.kind, line: h.line, endLine: lastLine, parent });
    stack.push(sections.length - 1);
  }
  return sections;
}

const WORD = /[\p{L}\p{N}]/u;
// `[^<>]*`, not `[^>]*`: a tag ends before the next `<`, so a line of unclosed `<a <a <a …` is
// read once, not once from every `<` to the line's end (200 KB of it took 24 s).
const HTML_TAG = /<\/?[a-zA-Z][^<>]*>/g;

function countWords(lines: string[], inCode: boolean[], tables: Table[]): WordCounts {
  const inTable = new Array<boolean>(lines.length + 2).fill(false);
  for (const t of tables) for (let l = t.line; l <= t.endLine; l++) inTable[l] = true;
  const counts: WordCounts = { prose: 0, tables: 0, code: 0 };
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let text = lines[i]!;
    if (inCode[line]) {
      counts.code += words(text);
      continue;
    }
    // HTML comments are not read by anyone; they are not words of the document.
    if (inComment || text.includes('<!--')) {
      const stripped = stripComments(text, inComment);
      inComment = stripped.open;
      text = stripped.text;
    }
    // In a table, cells are words apart even when written without spaces: |Kafka|MSK|$620|.
    const n = words((inTable[line] ? text.replace(/(?<!\\)\|/g, ' ') : text).replace(HTML_TAG, ' '));
    counts.prose += n;
    if (inTable[line]) counts.tables += n;
  }
  return counts;
}

function words(text: string): number {
  let n = 0;
  for (const token of text.split(/\s+/)) if (token && WORD.test(token)) n++;
  return n;
}

function stripComments(text: string, open: boolean): { text: string; open: boolean } {
  let out = '';
  let rest = text;
  while (rest) {
    if (open) {
      const close = rest.indexOf('-->');
      if (close < 0) return { text: out, open: true };
      rest = rest.slice(close + 3);
      open = false;
    } else {
      const start = rest.indexOf('<!--');
      if (start < 0) return { text: out + rest, open: false };
      out += rest.slice(0, start) + ' ';
      rest = rest.slice(start + 4);
      open = true;
    }
  }
  return { text: out, open };
}

/** YAML front matter (`---` … `---` at the very top) is metadata, not document: blank it. */
function blankFrontMatter(text: string): string {
  if (!text.startsWith('---\n')) return text;
  const end = text.search(/\n(?:---|\.\.\.)[ \t]*(?:\n|$)/);
  if (end < 0) return text;
  const block = text.slice(0, end + 1);
  // Only a block of key: value lines is front matter; otherwise it is a thematic break.
  if (!/^\s*[\w-]+\s*:/m.test(block.slice(4))) return text;
  const closeLen = text.slice(end + 1).match(/^(?:---|\.\.\.)[ \t]*/)![0].length;
  const blanked = text.slice(0, end + 1 + closeLen).replace(/[^\n]/g, '');
  return blanked + text.slice(end + 1 + closeLen);
}
