// The small core every grader is built on (after remark-lint's `lintRule`): `defineGrader` adds
// what all graders need — the empty-document rule, a check that the result is a well-formed
// grade, and errors that name the grader — so that each grader file holds only its own check.

import type { NamedTerm, Scenario } from '../src/dataset/schema.ts';
import { lineAtOffset, searchable, searchableFrom, type Document } from './document.ts';
import { GradeSchema, type Grade, type Location } from './schema.ts';
import { compileSchema } from '../src/validators.ts';

export type { Grade, Location } from './schema.ts';

/** What a grader may know besides the document: the scenario it answers, when known. */
export interface GraderContext {
  scenario?: Scenario | null;
}

export interface GraderSpec {
  /** Equal to the file name in graders/; reports and CI key on it. */
  id: string;
  description: string;
  /** Default weight in the overall score (eval suites may override it). */
  weight: number;
  /** Scenario-aware graders run only when the document is graded against a scenario. */
  needsScenario?: boolean;
  /** Runs only on a later turn of a multi-turn scenario (the scenario carries `revision`). */
  needsRevision?: boolean;
  grade(doc: Document, ctx: GraderContext): Grade;
}

export type Grader = GraderSpec;

export class GraderBug extends Error {
  constructor(readonly graderId: string, message: string, options?: { cause?: unknown }) {
    super(`grader ${graderId}: ${message}`, options);
    this.name = 'GraderBug';
  }
}


export function defineGrader(spec: GraderSpec): Grader {
  return {
    ...spec,
    grade(doc, ctx) {
      if (doc.empty) return { pass: false, score: 0, reason: 'empty document', evidence: { at: [] } };
      let result: Grade;
      try {
        result = spec.grade(doc, ctx);
      } catch (error) {
        throw new GraderBug(spec.id, `threw ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      const validGrade = compileSchema(GradeSchema);
      if (!validGrade(result) || Number.isNaN(result.score)) {
        const problem = validGrade.errors?.[0];
        throw new GraderBug(spec.id, `returned a malformed grade (${problem ? `${problem.instancePath || '/'} ${problem.message}` : 'score is NaN'})`);
      }
      return result;
    },
  };
}

/** A grade from a score and a pass rule, rounding the score so reports stay readable. */
export function grade(pass: boolean, score: number, reason: string, at: Location[], facts: Record<string, unknown> = {}): Grade {
  const clamped = Math.min(1, Math.max(0, score));
  return { pass, score: Math.round(clamped * 1000) / 1000, reason, evidence: { at, ...facts } };
}

export function at(line: number, note: string, column?: number): Location {
  return column === undefined ? { line, note } : { line, column, note };
}

/** A named aspect a grader looks for in the text, e.g. `{ name: 'dead-letter', re: /dead[- ]letter|\bDLQ\b/i }`. */
export interface Criterion {
  name: string;
  re: RegExp;
}

export interface CriterionHit {
  name: string;
  line: number;
  text: string;
}

/** For each criterion, its first occurrence in the document (code blocks included), or none. */
export function findCriteria(doc: Document, criteria: Criterion[]): { found: CriterionHit[]; missing: string[] } {
  const found: CriterionHit[] = [];
  const missing: string[] = [];
  const lines = searchable(doc);
  for (const c of criteria) {
    const re = c.re.global ? withoutGlobal(c.re) : c.re;
    let hit: CriterionHit | null = null;
    for (const { line, text } of lines) {
      const m = re.exec(text);
      if (m) {
        hit = { name: c.name, line, text: m[0] };
        break;
      }
    }
    if (hit) found.push(hit);
    else missing.push(c.name);
  }
  return { found, missing };
}

// A criterion given as a global regex is searched with a plain copy (exec from the start of every
// line), made once per regex rather than once per call.
const plainCopies = new WeakMap<RegExp, RegExp>();

function withoutGlobal(re: RegExp): RegExp {
  let copy = plainCopies.get(re);
  if (!copy) plainCopies.set(re, (copy = new RegExp(re.source, re.flags.replace('g', ''))));
  return copy;
}

/**
 * Where a document first names a term or one of its aliases. Matching is case-insensitive and
 * anchored where a word starts but not where it ends, so "CDC" matches "CDC-based" and
 * "throttl" matches "throttling", while "ERP" does not match "interpret".
 */
export function findTerm(doc: Document, term: NamedTerm): CriterionHit | null {
  const re = termPattern(term);
  // A match in a line is also a match at the same place in the whole text (the pattern's
  // lookarounds only rule out a letter or digit beside it, and a line's ends face a newline). So
  // one search of the whole text shows that the term is absent, as most scenario terms are from
  // most documents, or the earliest line it can be found on: the search by line starts there.
  const first = re.exec(doc.source);
  if (!first) return null;
  for (const { line, text } of searchableFrom(doc, lineAtOffset(doc, first.index))) {
    const m = re.exec(text);
    if (m) return { name: term.name, line, text: m[0] };
  }
  return null;
}

// Building a term's pattern (escape, sort, compile a Unicode regex) costs more than searching a
// short document with it, and the same scenario terms come back for every document graded
// against the scenario: each term keeps its two patterns. They are rebuilt if the term's words
// have changed since (a term edited in place). The patterns are neither global nor sticky (no
// lastIndex state), so sharing one is safe.
interface TermPatterns {
  name: string;
  aliases: string[];
  prefix?: RegExp;
  wholeWord?: RegExp;
}
const termPatterns = new WeakMap<NamedTerm, TermPatterns>();

function sameWords(built: TermPatterns, term: NamedTerm): boolean {
  const aliases = term.aliases ?? [];
  return built.name === term.name && built.aliases.length === aliases.length && built.aliases.every((a, i) => a === aliases[i]);
}

/**
 * The pattern for a term and its aliases. Scenario topics match as prefixes ("reconcil" finds
 * "reconciliation"); product names pass `wholeWord`, so that "Hive" does not find "HiveMQ".
 */
export function termPattern(term: NamedTerm, opts: { wholeWord?: boolean } = {}): RegExp {
  let built = termPatterns.get(term);
  if (!built || !sameWords(built, term)) termPatterns.set(term, (built = { name: term.name, aliases: [...(term.aliases ?? [])] }));
  if (opts.wholeWord) return (built.wholeWord ??= buildTermPattern([built.name, ...built.aliases], true));
  return (built.prefix ??= buildTermPattern([built.name, ...built.aliases], false));
}

function buildTermPattern(words: string[], wholeWord: boolean): RegExp {
  const alternatives = words
    .map((a) => a.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s-]+'))
    .sort((a, b) => b.length - a.length);
  const end = wholeWord ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})${end}`, 'iu');
}
