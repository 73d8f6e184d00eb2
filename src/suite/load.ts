// Loading a suite file and applying command-line overrides, so that CI and scripts never need
// to edit YAML: every override is checked against the same schema as the file.

import { existsSync } from 'node:fs';
import { checkChecks } from '../../graders/generic/validate.ts';
import { UsageError } from '../errors.ts';
import { checkOutputDir, readYaml, validate } from '../files.ts';
import { amountOption, firstDuplicate, integerOption, listOption } from '../options.ts';
import { fromRoot } from '../project/paths.ts';
import { BUILTIN_PROMPT, builtinGraders } from '../../graders/generic/set.ts';
import { checkId } from '../../graders/generic/schema.ts';
import { SuiteSchema, type ModelConfig, type Suite } from './schema.ts';

/** The spend cap's ceiling: a typo'd extra digit, not a budget anyone means. */
export const MAX_COST_USD = 100_000;

export interface Overrides {
  versions?: string;
  models?: string;
  scenarios?: string;
  samples?: string;
  concurrency?: string;
  maxCost?: string;
  store?: string;
  out?: string;
}

export function loadSuite(file: string, overrides: Overrides = {}): Suite {
  // A project without suites yet (a fresh install): say how to start one.
  if (!existsSync(file)) throw new UsageError(`${file}: file not found; expected a suite (--suite FILE), or run promptgate init to scaffold a project`);
  const raw = readYaml(file);
  checkChecks((raw as { graders?: { checks?: unknown } } | null)?.graders?.checks, file);
  const suite = withGraderDefaults(validate(SuiteSchema, raw, file), file);
  checkLists(suite, file);
  const merged: Suite = { ...suite };
  if (overrides.versions) merged.versions = listOption('--versions', overrides.versions);
  // "tag:NAME" and "all" are selectors; a list of ids is checked like any list.
  if (overrides.scenarios) merged.scenarios = overrides.scenarios.includes(',') ? listOption('--scenarios', overrides.scenarios).join(',') : overrides.scenarios.trim();
  if (overrides.samples) merged.samples = integerOption('--samples', overrides.samples, { min: 1, max: 100 });
  if (overrides.models) merged.models = listOption('--models', overrides.models).map((spec) => modelFrom(spec, suite.models));
  if (overrides.concurrency) {
    const n = integerOption('--concurrency', overrides.concurrency, { min: 1, max: 256 });
    merged.models = merged.models.map((m) => ({ ...m, concurrency: n }));
  }
  if (overrides.maxCost) merged.budgetUsd = amountOption('--max-cost', overrides.maxCost, { min: 0, max: MAX_COST_USD });
  // A suite's folders are relative to the project root (so the suite means the same from any
  // subfolder); --store and --out, typed in a shell, to the current folder. Both are kept as
  // paths from the current folder, which at the root is exactly what the suite says.
  if (suite.store) merged.store = fromRoot(suite.store);
  if (suite.out) merged.out = fromRoot(suite.out);
  if (overrides.store) merged.store = overrides.store;
  if (overrides.out) merged.out = overrides.out;
  const checked = validate(SuiteSchema, merged, `${file} (with command-line overrides)`);
  // Output folders checked before anything is planned, let alone paid for.
  if (checked.out) checkOutputDir(checked.out, overrides.out ? '--out' : `${file}: /out`);
  if (checked.store) checkOutputDir(checked.store, overrides.store ? '--store' : `${file}: /store`);
  return checked;
}

/**
 * The grader set made explicit (graders/generic/set.ts): a suite that lists checks or modules
 * keeps the built-in graders only for the prompt they are written for, unless it says; without
 * the built-in graders, the default hard graders (built-in ones) do not apply. Suites that list
 * neither are left exactly as written, so their grading policy (and cached grades) is unchanged.
 */
function withGraderDefaults(suite: Suite, file: string): Suite {
  const g = suite.graders;
  if (!g?.checks?.length && !g?.modules?.length) return suite;
  const builtin = g.builtin ?? suite.prompt === BUILTIN_PROMPT;
  const graders = { ...g, builtin, ...(!builtin && !g.hard && { hard: [] }) };
  if (!g.modules?.length) {
    // Every hard grader must be one the set has (a module's id is known once it is loaded).
    const known = [...(builtin ? builtinGraders().map((x) => x.id) : []), ...(g.checks ?? []).map(checkId)];
    const unknown = (graders.hard ?? []).findIndex((id) => !known.includes(id));
    if (unknown >= 0) throw new UsageError(`${file}: /graders/hard/${unknown}: "${graders.hard![unknown]}" is not a grader of this suite; expected one of ${known.join(', ')}`);
  }
  return { ...suite, graders };
}

/**
 * A model, scenario or version the suite lists twice would be planned, and paid, twice (a model
 * twice even shares its cells' ids). Models are the same when provider and model id are.
 */
function checkLists(suite: Suite, file: string): void {
  const keys = suite.models.map((m) => `${m.provider}:${m.model}`);
  const model = firstDuplicate(keys);
  if (model !== null) throw new UsageError(`${file}: /models/${keys.lastIndexOf(model)}: ${model} is listed twice (also /models/${keys.indexOf(model)}); list each model once`);
  for (const field of ['scenarios', 'versions'] as const) {
    const value = suite[field];
    const items = Array.isArray(value) ? value : value.split(',').map((s) => s.trim());
    const twice = firstDuplicate(items);
    if (twice !== null) throw new UsageError(`${file}: /${field}: "${twice}" is listed twice; list each once`);
  }
  if (suite.budgetUsd !== undefined && !(suite.budgetUsd <= MAX_COST_USD)) throw new UsageError(`${file}: /budgetUsd: expected an amount of at most ${MAX_COST_USD} USD`);
}

/** "anthropic:claude-sonnet-5-5" — keeping the suite's settings for a model it already lists. */
function modelFrom(spec: string, known: ModelConfig[]): ModelConfig {
  const match = /^(anthropic|openai|openai-compatible):(.+)$/.exec(spec);
  if (!match) throw new UsageError(`--models: "${spec}" is not provider:model; expected e.g. anthropic:claude-sonnet-5-5, openai:gpt-5.6-terra or openai-compatible:llama3`);
  const [, provider, model] = match as unknown as [string, ModelConfig['provider'], string];
  return known.find((m) => m.provider === provider && m.model === model) ?? { provider, model };
}


/**
 * The grader set a suite file lists now (builtin, checks, modules), for a record that kept only
 * weights, hard graders and threshold (a baseline): re-grading it with the current graders means
 * the suite's current set. Nothing when the file is gone (the built-in graders, as before).
 */
export function graderSetOf(file: string): Pick<NonNullable<Suite['graders']>, 'builtin' | 'checks' | 'modules'> {
  if (!existsSync(file)) return {};
  const { builtin, checks, modules } = loadSuite(file).graders ?? {};
  return { ...(builtin !== undefined && { builtin }), ...(checks && { checks }), ...(modules && { modules }) };
}
