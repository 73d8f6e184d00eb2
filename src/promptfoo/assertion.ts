// promptgate's graders as promptfoo assertions: the published entry `promptgate/promptfoo`
// (built to lib/promptfoo.js by scripts/build-lib.mjs, plain JavaScript, so a promptfoo project
// needs no TypeScript loader). In a promptfooconfig:
//
//   assert:
//     - type: javascript                    # the weighted score, one component per grader
//       value: file://node_modules/promptgate/lib/promptfoo.js:gradeAll
//       config: { hard: [sections], passThreshold: 0.8 }
//     - type: javascript                    # one grader
//       value: file://node_modules/promptgate/lib/promptfoo.js:grade
//       config: { grader: cost-table }
//
// A suite's generic checks (contains, regex, json, headings, words, tokens) come as
// `config.checks`, with `config.builtin: false` to grade with them alone; cost and latency
// ceilings grade a cell, not a text, so `promptgate import promptfoo` applies them.
// The scenario comes from `vars.scenario`: a scenario id (looked up in `config.scenarios`,
// default datasets/scenarios, from where promptfoo runs), a path to a scenario file, or the
// scenario itself inline (an object, or its JSON). Without one, scenario-aware graders do not run.
//
// No default export: promptfoo 0.121 looks a `file:…:name` function up on the default export
// when there is one (src/util/esm), so named functions must be the module's own exports.

import { Type } from '@sinclair/typebox';
import { parseDocument, type Document } from '../../graders/document.ts';
import { CheckSchema, checkId, isCellCheck, type Check } from '../../graders/generic/schema.ts';
import { gradersFor, type SetPolicy } from '../../graders/generic/set.ts';
import { DEFAULT_POLICY, gradeDocument } from '../../graders/grade.ts';
import { checkDocumentSize, Deadline } from '../../graders/limits.ts';
import { DEFAULT_SCENARIOS_DIR, resolveScenario } from '../dataset/load.ts';
import { ScenarioSchema, type Scenario } from '../dataset/schema.ts';
import { compileSchema } from '../validators.ts';

/** promptfoo's GradingResult, the part promptgate fills in. */
export interface GradingResult {
  pass: boolean;
  score: number;
  reason: string;
  namedScores?: Record<string, number>;
  componentResults?: GradingResult[];
}

/** What promptfoo passes a javascript assertion besides the output (the fields read here). */
export interface AssertionContext {
  vars?: Record<string, unknown>;
  config?: AssertionConfig;
}

export interface AssertionConfig {
  /** `grade`: the grader to run. */
  grader?: string;
  /** Where scenario ids are looked up (default datasets/scenarios, from promptfoo's working folder). */
  scenarios?: string;
  /** `gradeAll`: the suite's grading policy (defaults: promptgate's). */
  weights?: Record<string, number>;
  hard?: string[] | boolean;
  passThreshold?: number;
  /** Generic checks (graders/generic/schema.ts), each a grader; cost and latency excepted. */
  checks?: Check[];
  /** Grade with the built-in graders too (default: yes). */
  builtin?: boolean;
}

class AssertionInputError extends Error {}

/** The whole document: promptgate's weighted score and pass rule, one component result per grader. */
export function gradeAll(output: unknown, context: AssertionContext = {}): GradingResult {
  return guarded(() => {
    const policy = policyOf(context.config);
    const graded = gradeDocument(documentOf(textOf(output)), { scenario: scenarioOf(context) }, policy, gradersFor(policy));
    const failedHard = policy.hard.filter((id) => graded.graders[id] && !graded.graders[id]!.pass);
    const reason = graded.pass
      ? `score ${graded.score} ≥ ${policy.passThreshold}${policy.hard.length ? `; hard graders passed (${policy.hard.join(', ')})` : ''}`
      : failedHard.length
        ? `hard grader${failedHard.length > 1 ? 's' : ''} failed: ${failedHard.map((id) => `${id} (${graded.graders[id]!.reason})`).join('; ')}; score ${graded.score}`
        : `score ${graded.score} < ${policy.passThreshold}`;
    return {
      pass: graded.pass,
      score: graded.score,
      reason,
      namedScores: Object.fromEntries(Object.entries(graded.graders).map(([id, g]) => [id, g.score])),
      componentResults: Object.entries(graded.graders).map(([id, g]) => ({ pass: g.pass, score: g.score, reason: `${id}: ${g.reason}` })),
    };
  });
}

/** One grader (`config.grader`): its own pass, score and reason. */
export function grade(output: unknown, context: AssertionContext = {}): GradingResult {
  return guarded(() => {
    const id = context.config?.grader;
    const set = gradersFor(setOf(context.config));
    const grader = set.find((g) => g.id === id);
    if (typeof id !== 'string' || !grader) throw new AssertionInputError(`config.grader: ${id === undefined ? 'missing' : JSON.stringify(id)}; expected one of ${set.map((g) => g.id).join(', ')}`);
    const scenario = scenarioOf(context);
    if (grader.needsScenario && !scenario) throw new AssertionInputError(`grader ${id} needs a scenario; expected vars.scenario (an id or the scenario)`);
    const g = gradeDocument(documentOf(textOf(output)), { scenario }, DEFAULT_POLICY, [grader]).graders[id];
    // Left out by promptgate for this scenario (graders/grade.ts): asking for it is a config mistake.
    if (!g) throw new AssertionInputError(`grader ${id} does not run for ${scenario ? `scenario ${scenario.id}` : 'a document without a scenario'}; expected it only in the tests it applies to`);
    return { pass: g.pass, score: g.score, reason: `${id}: ${g.reason}` };
  });
}

/**
 * A test's verdict from its grader assertions (defaultTest.assertScoringFunction): the weighted
 * mean of their scores, passing when it reaches the test's threshold AND every assertion whose
 * config says `hard: true` passed — promptgate's pass rule. Other assertions count by weight.
 */
export function scoreTest(_namedScores: Record<string, number>, context: { threshold?: number; componentResults?: Array<GradingResult & { assertion?: { weight?: number; config?: AssertionConfig } }> }): GradingResult {
  const components = context.componentResults ?? [];
  let total = 0;
  let weighted = 0;
  for (const c of components) {
    const w = c.assertion?.weight ?? 1;
    total += w;
    weighted += w * c.score;
  }
  const score = total > 0 ? Math.round((weighted / total) * 1000) / 1000 : 0;
  const threshold = context.threshold ?? DEFAULT_POLICY.passThreshold;
  const failedHard = components.filter((c) => c.assertion?.config?.hard === true && !c.pass);
  const pass = failedHard.length === 0 && score >= threshold;
  const reason = failedHard.length ? `hard grader failed: ${failedHard.map((c) => c.reason).join('; ')}; score ${score}` : `score ${score} ${score >= threshold ? '≥' : '<'} ${threshold}`;
  return { pass, score, reason };
}

// ---------------------------------------------------------------------------------------------

function guarded(run: () => GradingResult): GradingResult {
  try {
    return run();
  } catch (error) {
    // A bad config or scenario is promptgate's one-line message, not a stack trace in the view.
    const message = (error as Error)?.message ?? String(error);
    return { pass: false, score: 0, reason: `promptgate: ${message}` };
  }
}

function textOf(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === null || output === undefined) return '';
  return JSON.stringify(output);
}

function policyOf(config: AssertionConfig | undefined): SetPolicy {
  const hard = config?.hard;
  if (hard !== undefined && !Array.isArray(hard)) throw new AssertionInputError(`config.hard: expected a list of grader ids for gradeAll`);
  const threshold = config?.passThreshold;
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)) throw new AssertionInputError(`config.passThreshold: ${JSON.stringify(threshold)}; expected a number from 0 to 1`);
  const set = setOf(config);
  const known = new Set(gradersFor(set).map((g) => g.id));
  const unknown = [...(hard ?? []), ...Object.keys(config?.weights ?? {})].find((id) => !known.has(id));
  if (unknown !== undefined) throw new AssertionInputError(`config: unknown grader "${unknown}"; expected one of ${[...known].join(', ')}`);
  // Without built-in graders, none of theirs is hard by default.
  const defaultHard = set.builtin === false ? [] : DEFAULT_POLICY.hard;
  return { ...set, weights: { ...DEFAULT_POLICY.weights, ...config?.weights }, hard: hard ?? defaultHard, passThreshold: threshold ?? DEFAULT_POLICY.passThreshold };
}

const validChecks = compileSchema(Type.Array(CheckSchema));

/** Which graders: the built-in ones (unless builtin: false) and the text checks in config.checks. */
function setOf(config: AssertionConfig | undefined): SetPolicy {
  const checks = config?.checks;
  if (checks !== undefined && !validChecks(checks)) {
    const e = validChecks.errors?.[0];
    throw new AssertionInputError(`config.checks${e?.instancePath ?? ''}: ${e?.message ?? 'invalid'}; expected checks as a suite's graders.checks`);
  }
  const cell = checks?.find(isCellCheck);
  if (cell) throw new AssertionInputError(`config.checks: "${checkId(cell)}" is a ${cell.type} check, which grades a cell, not a text; expected text checks (promptgate import promptfoo applies cost and latency)`);
  const builtin = config?.builtin;
  if (builtin !== undefined && typeof builtin !== 'boolean') throw new AssertionInputError('config.builtin: expected true or false');
  return { ...DEFAULT_POLICY, ...(checks && { checks }), ...(builtin !== undefined && { builtin }) };
}

const validScenario = compileSchema(ScenarioSchema);
const scenarioFiles = new Map<string, Scenario>();

function scenarioOf(context: AssertionContext): Scenario | null {
  let value = context.vars?.scenario;
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      throw new AssertionInputError('vars.scenario: starts with "{" but is not JSON; expected a scenario id or a scenario object');
    }
  }
  if (typeof value === 'object') {
    if (!validScenario(value)) {
      const e = validScenario.errors?.[0];
      throw new AssertionInputError(`vars.scenario${e?.instancePath ?? ''}: ${e?.message ?? 'is not a scenario'}; expected a scenario as in datasets/scenarios/*.yaml`);
    }
    return value as Scenario;
  }
  if (typeof value !== 'string') throw new AssertionInputError(`vars.scenario: ${typeof value}; expected a scenario id or a scenario object`);
  const dir = context.config?.scenarios ?? DEFAULT_SCENARIOS_DIR;
  const key = `${dir}\u0000${value}`;
  let scenario = scenarioFiles.get(key);
  if (!scenario) scenarioFiles.set(key, (scenario = resolveScenario(value, dir)));
  return scenario;
}

// promptfoo runs each assertion of a test on the same output; the exported config has one per
// grader. The document is parsed once (size-checked first) and each assertion runs its grader.
const recent = new Map<string, Document>();
const RECENT_MAX = 16;

function documentOf(text: string): Document {
  const hit = recent.get(text);
  if (hit) return hit;
  checkDocumentSize(text);
  const doc = parseDocument(text, new Deadline());
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(text, doc);
  return doc;
}
