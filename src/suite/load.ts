// Loading a suite file and applying command-line overrides, so that CI and scripts never need
// to edit YAML: every override is checked against the same schema as the file.

import { UsageError } from '../errors.ts';
import { readYaml, validate } from '../files.ts';
import { SuiteSchema, type ModelConfig, type Suite } from './schema.ts';

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
  const merged: Suite = { ...suite };
  if (overrides.versions) merged.versions = list(overrides.versions);
  if (overrides.scenarios) merged.scenarios = overrides.scenarios;
  if (overrides.samples) merged.samples = integer('--samples', overrides.samples, 1);
  if (overrides.models) merged.models = list(overrides.models).map((spec) => modelFrom(spec, suite.models));
  if (overrides.concurrency) {
    const n = integer('--concurrency', overrides.concurrency, 1);
    merged.models = merged.models.map((m) => ({ ...m, concurrency: n }));
  }
  if (overrides.maxCost) {
    const usd = Number(overrides.maxCost);
    if (!(usd > 0)) throw new UsageError(`--max-cost: "${overrides.maxCost}" is not an amount in USD; expected a number above 0`);
    merged.budgetUsd = usd;
  }
  if (overrides.store) merged.store = overrides.store;
  if (overrides.out) merged.out = overrides.out;
  return validate(SuiteSchema, merged, `${file} (with command-line overrides)`);
}

/** "anthropic:claude-sonnet-5-5" — keeping the suite's settings for a model it already lists. */
function modelFrom(spec: string, known: ModelConfig[]): ModelConfig {
  const match = /^(anthropic|openai|openai-compatible):(.+)$/.exec(spec);
  if (!match) throw new UsageError(`--models: "${spec}" is not provider:model; expected e.g. anthropic:claude-sonnet-5-5, openai:gpt-5.6-terra or openai-compatible:llama3`);
  const [, provider, model] = match as unknown as [string, ModelConfig['provider'], string];
  return known.find((m) => m.provider === provider && m.model === model) ?? { provider, model };
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag}: "${text}" is not a whole number of at least ${min}`);
  return n;
}
