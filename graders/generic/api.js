// The public grader API (`import { defineGrader } from 'promptgate'`): what a project's own grader
// module needs, in plain JavaScript so that it loads in any project with no TypeScript loader and
// no build. defineGrader only checks and marks the spec; promptgate wraps it at load time with the
// same core as its built-in graders (graders/core.ts: the empty-document rule, a check that every
// grade is well formed, errors that name the grader). The contract is in docs/graders.md.

export const GRADER_BRAND = Symbol.for('promptgate.grader');

/** A grader from its spec: `{ id, description, weight, needsScenario?, grade(doc, ctx) }`. */
export function defineGrader(spec) {
  if (spec === null || typeof spec !== 'object') throw new TypeError('defineGrader: expected an object { id, description, weight, grade }');
  if (typeof spec.id !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(spec.id)) throw new TypeError(`defineGrader: id ${JSON.stringify(spec.id)}: expected a kebab-case id`);
  if (typeof spec.grade !== 'function') throw new TypeError(`defineGrader ${spec.id}: grade: expected a function (doc, ctx) => grade`);
  return Object.freeze({ ...spec, [GRADER_BRAND]: true });
}

/** A grade from a score and a pass rule; the score is clamped to 0..1 and rounded to 3 places. */
export function grade(pass, score, reason, at = [], facts = {}) {
  const clamped = Math.min(1, Math.max(0, score));
  return { pass, score: Math.round(clamped * 1000) / 1000, reason, evidence: { at, ...facts } };
}

/** A place in the document for a grade's evidence (lines and columns count from 1). */
export function at(line, note, column) {
  return column === undefined ? { line, note } : { line, column, note };
}
