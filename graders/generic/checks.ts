// The generic text checks (schema.ts) as graders, built on the same core as the built-in ones
// (graders/core.ts), so an empty answer fails them and a malformed grade is a bug that names the
// check. Every grade points at the lines it is about, as the built-in graders do.

import { Ajv, type ValidateFunction } from 'ajv';
import { at, defineGrader, grade, type Grade, type Grader, type Location } from '../core.ts';
import type { Document } from '../document.ts';
import { checkId, type TextCheck } from './schema.ts';

/** A check's grader. Throws an Error naming the problem when the check cannot be built (a bad pattern or schema). */
export function checkGrader(check: TextCheck): Grader {
  const id = checkId(check);
  const test = build(check);
  return defineGrader({ id, description: check.description ?? describe(check), weight: check.weight ?? 1, grade: (doc) => test(doc) });
}

function build(check: TextCheck): (doc: Document) => Grade {
  switch (check.type) {
    case 'contains':
    case 'not-contains': {
      const values = Array.isArray(check.value) ? check.value : [check.value];
      const fold = (s: string) => (check.caseSensitive ? s : s.toLowerCase());
      const wanted = check.type === 'contains';
      return (doc) => {
        const hits = values.map((v) => ({ value: v, line: firstLine(doc, (text) => fold(text).includes(fold(v))) }));
        const bad = hits.filter((h) => (h.line !== null) !== wanted);
        const where = hits.filter((h) => h.line !== null).map((h) => at(h.line!, `"${h.value}"`));
        if (!bad.length) return grade(true, 1, wanted ? `contains ${list(values)}` : `contains none of ${list(values)}`, where);
        const reason = wanted ? `missing ${list(bad.map((b) => b.value))}` : `contains ${list(bad.map((b) => b.value))}`;
        return grade(false, (values.length - bad.length) / values.length, reason, where, { [wanted ? 'missing' : 'found']: bad.map((b) => b.value) });
      };
    }
    case 'regex': {
      const re = new RegExp(check.pattern, check.flags ?? '');
      return (doc) => {
        const line = firstLine(doc, (text) => re.test(text));
        // A pattern that spans lines matches the whole answer but no single line of it.
        const found = line !== null || re.test(doc.source);
        const where = line !== null ? [at(line, `matches /${check.pattern}/`)] : [];
        if (check.absent) return found ? grade(false, 0, `matches /${check.pattern}/, which must not appear`, where) : grade(true, 1, `no match for /${check.pattern}/`, []);
        return found ? grade(true, 1, `matches /${check.pattern}/`, where) : grade(false, 0, `no match for /${check.pattern}/`, []);
      };
    }
    case 'json': {
      const validate = check.schema ? compileJsonSchema(check.schema) : null;
      return (doc) => {
        const parsed = jsonOf(doc);
        if (!parsed.ok) return grade(false, 0, parsed.reason, parsed.line ? [at(parsed.line, 'not valid JSON')] : []);
        if (!validate || validate(parsed.value)) return grade(true, 1, validate ? 'valid JSON matching the schema' : 'valid JSON', [at(parsed.line, 'JSON')]);
        const e = validate.errors![0]!;
        return grade(false, 0.5, `valid JSON, but ${e.instancePath || '/'} ${e.message ?? 'does not match the schema'}`, [at(parsed.line, 'JSON')], { schemaErrors: validate.errors!.length });
      };
    }
    case 'headings': {
      return (doc) => {
        const have = new Map(doc.sections.map((s) => [normalise(s.title), s.line]));
        const found: Location[] = [];
        const missing: string[] = [];
        for (const title of check.required) {
          const line = have.get(normalise(title)) ?? [...have].find(([h]) => h.includes(normalise(title)))?.[1];
          if (line === undefined) missing.push(title);
          else found.push(at(line, title));
        }
        if (!missing.length) return grade(true, 1, `has the ${check.required.length} required heading(s)`, found);
        return grade(false, found.length / check.required.length, `missing heading(s): ${list(missing)}`, found, { missing });
      };
    }
    case 'words':
    case 'tokens': {
      const unit = check.type === 'words' ? 'words' : 'tokens (estimated)';
      return (doc) => {
        const n = check.type === 'words' ? doc.words.prose : Math.ceil(doc.source.length / 4);
        const range = `${check.min ?? 0}–${check.max ?? '∞'}`;
        const below = check.min !== undefined && n < check.min;
        const above = check.max !== undefined && n > check.max;
        if (!below && !above) return grade(true, 1, `${n} ${unit}, within ${range}`, [], { count: n });
        // Partial credit by how far outside the range: half the minimum scores 0.5.
        const score = below ? n / check.min! : check.max! / n;
        return grade(false, score, `${n} ${unit}, ${below ? 'below' : 'above'} ${range}`, [], { count: n });
      };
    }
  }
}

function firstLine(doc: Document, test: (text: string) => boolean): number | null {
  for (let i = 0; i < doc.lines.length; i++) if (test(doc.lines[i]!)) return i + 1;
  return null;
}

type Parsed = { ok: true; value: unknown; line: number } | { ok: false; reason: string; line?: number };

/** The whole answer as JSON, or else its first ```json block (models often wrap JSON in a fence). */
function jsonOf(doc: Document): Parsed {
  const whole = doc.source.trim();
  const first = doc.lines.findIndex((l) => l.trim()) + 1 || 1;
  try {
    return { ok: true, value: JSON.parse(whole), line: first };
  } catch (error) {
    const block = doc.code.find((c) => c.lang?.toLowerCase() === 'json');
    if (!block) return { ok: false, reason: `not valid JSON (${(error as Error).message}) and no \`\`\`json block`, line: first };
    try {
      return { ok: true, value: JSON.parse(block.value), line: block.line };
    } catch (inner) {
      return { ok: false, reason: `the \`\`\`json block is not valid JSON (${(inner as Error).message})`, line: block.line };
    }
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** A suite's JSON Schema, compiled; throws an Error saying why when it is not a valid schema. */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  return ajv.compile(schema);
}

function normalise(title: string): string {
  return title
    .toLowerCase()
    .replace(/^[\s#*_]*(?:\d+(?:\.\d+)*[.)]?\s+)?/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function list(values: string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function describe(check: TextCheck): string {
  switch (check.type) {
    case 'contains':
      return `contains ${list([check.value].flat())}`;
    case 'not-contains':
      return `does not contain ${list([check.value].flat())}`;
    case 'regex':
      return `${check.absent ? 'no match for' : 'matches'} /${check.pattern}/`;
    case 'json':
      return check.schema ? 'valid JSON matching a JSON Schema' : 'valid JSON';
    case 'headings':
      return `has the headings ${list(check.required)}`;
    case 'words':
    case 'tokens':
      return `${check.type} within ${check.min ?? 0}–${check.max ?? '∞'}`;
  }
}
