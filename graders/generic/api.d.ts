// Types of the public grader API (api.js). The document model is graders/document.ts's, the
// grade graders/schema.ts's; see docs/graders.md for the contract and a worked example.

export interface Location {
  line: number;
  column?: number;
  note: string;
}

export interface Grade {
  pass: boolean;
  /** 0..1 */
  score: number;
  reason: string;
  /** `at` points into the document; other keys are the grader's own facts (counts, items). */
  evidence: { at: Location[]; [fact: string]: unknown };
}

export interface Section {
  title: string;
  /** The title normalised for matching (lower case, no numbering or punctuation). */
  key: string;
  depth: number;
  kind: 'atx' | 'setext' | 'bold';
  line: number;
  endLine: number;
  parent: number | null;
}

export interface Table {
  line: number;
  endLine: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
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
  level: number;
  lead: string;
  bold: string | null;
  text: string;
}

/** The parsed answer every grader receives (one parse, shared by all graders). */
export interface Document {
  /** The answer as the model wrote it. */
  source: string;
  lines: string[];
  /** True when there is nothing but whitespace (every grader then fails it without being called). */
  empty: boolean;
  sections: Section[];
  tables: Table[];
  code: CodeBlock[];
  items: ListItem[];
  /** Words of prose, of tables and of code. */
  words: { prose: number; tables: number; code: number };
}

/** What a grader may know besides the document: the scenario the answer was written for, when known. */
export interface GraderContext {
  scenario?: { id: string; title: string; tags: string[]; message: string; [field: string]: unknown } | null;
}

export interface GraderSpec {
  /** kebab-case; reports, weights, `hard` and the gate key on it. */
  id: string;
  description: string;
  /** Default weight in the overall score (a suite's graders.weights may override it). */
  weight: number;
  /** Run only when the answer is graded against a scenario. */
  needsScenario?: boolean;
  grade(doc: Document, ctx: GraderContext): Grade;
}

export type Grader = Readonly<GraderSpec>;

export declare const GRADER_BRAND: unique symbol;
export declare function defineGrader(spec: GraderSpec): Grader;
export declare function grade(pass: boolean, score: number, reason: string, at?: Location[], facts?: Record<string, unknown>): Grade;
export declare function at(line: number, note: string, column?: number): Location;
