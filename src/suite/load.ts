// Loading a suite file and applying command-line overrides, so that CI and scripts never need
// to edit YAML: every override is checked against the same schema as the file.

import { UsageError } from '../errors.ts';
import { checkOutputDir, readYaml, validate } from '../files.ts';
import { amountOption, firstDuplicate, integerOption, listOption } from '../options.ts';
import { fromRoot } from '../project/paths.ts';
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
  const suite = validate(SuiteSchema, readYaml(file), file);
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

