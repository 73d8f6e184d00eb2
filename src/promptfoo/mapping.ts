// Which promptgate cell each promptfoo result is: a prompt version of the registry, a scenario,
// a model and a sample. Pure: results and the registry, scenarios and suite models in; the
// mapped results and, grouped by reason, the ones that map to nothing.
//
//   version   the prompt's label "<prompt>@<version>" (what `export promptfoo` writes), else the
//             version whose text is the prompt's system text (an OpenAI `instructions` config,
//             a system message of a chat prompt) or is contained in a plain-text prompt
//   scenario  vars.scenario (an id, or the scenario itself with its id), else the scenario whose
//             message is the value of one of the test's vars
//   model     the provider id: anthropic:messages:<model>, openai:responses:<model>,
//             openai:chat:<model> or openai:<model>
//   sample    the results of one version × scenario × model, in the file's order

import type { Scenario } from '../dataset/schema.ts';
import type { PromptVersion } from '../registry/load.ts';
import type { ModelConfig } from '../suite/schema.ts';
import type { PromptfooResult } from './output.ts';

export interface MappingTarget {
  promptId: string;
  /** Every version of the prompt in the registry. */
  versions: PromptVersion[];
  scenarios: Scenario[];
  /** The suite's models: their labels, prices and settings are kept. */
  models: ModelConfig[];
  /** The var naming the scenario (default "scenario"). */
  scenarioVar: string;
}

export interface MappedResult {
  /** Index in the file's results. */
  index: number;
  result: PromptfooResult;
  version: PromptVersion;
  scenario: Scenario;
  model: ModelConfig;
  sample: number;
}

export interface Unmapped {
  /** One line: what did not map and what was expected. */
  reason: string;
  count: number;
}

export interface Mapping {
  mapped: MappedResult[];
  unmapped: Unmapped[];
  /** Models that are not in the suite (imported with promptgate's default settings and prices). */
  extraModels: string[];
}

export function mapResults(results: PromptfooResult[], target: MappingTarget): Mapping {
  const unmapped = new Map<string, number>();
  const miss = (reason: string) => void unmapped.set(reason, (unmapped.get(reason) ?? 0) + 1);
  const samples = new Map<string, number>();
  const extra = new Set<string>();
  const mapped: MappedResult[] = [];
  results.forEach((result, index) => {
    const version = versionOf(result, target);
    const scenario = scenarioOf(result, target);
    const model = modelOf(result, target);
    if (typeof version === 'string') return miss(version);
    if (typeof scenario === 'string') return miss(scenario);
    if (typeof model === 'string') return miss(model);
    if (!target.models.some((m) => m.provider === model.provider && m.model === model.model)) extra.add(`${model.provider}:${model.model}`);
    const key = `${version.meta.version}|${scenario.id}|${model.provider}:${model.model}`;
    const sample = samples.get(key) ?? 0;
    samples.set(key, sample + 1);
    mapped.push({ index, result, version, scenario, model, sample });
  });
  return { mapped, unmapped: [...unmapped].map(([reason, count]) => ({ reason, count })), extraModels: [...extra] };
}

function versionOf(result: PromptfooResult, target: MappingTarget): PromptVersion | string {
  const label = result.prompt.label ?? '';
  const byLabel = /^(.+?)@(\S+)/.exec(label);
  if (byLabel && byLabel[1] === target.promptId) {
    const v = target.versions.find((x) => x.meta.version === byLabel[2]);
    if (v) return v;
    return `prompt label "${label}": version ${byLabel[2]} of ${target.promptId} is not in the registry`;
  }
  const systems = systemTexts(result);
  const exact = target.versions.filter((v) => systems.includes(v.text) || systems.includes(v.text.trim()));
  if (exact.length) return exact[exact.length - 1]!;
  const inside = target.versions.filter((v) => result.prompt.raw.includes(v.text)).sort((a, b) => b.text.length - a.text.length);
  if (inside.length) return inside[0]!;
  return `prompt ${label ? `"${clip(label)}"` : `"${clip(result.prompt.raw)}"`}: neither its label (<prompt>@<version>) nor its text is a version of ${target.promptId} in the registry`;
}

/** The system text a result was sent with: an `instructions` config, or the system/developer messages of a chat prompt. */
function systemTexts(result: PromptfooResult): string[] {
  const texts: string[] = [];
  const instructions = result.prompt.config?.instructions;
  if (typeof instructions === 'string') texts.push(instructions);
  let messages: unknown;
  try {
    messages = JSON.parse(result.prompt.raw);
  } catch {
    return texts;
  }
  if (!Array.isArray(messages)) return texts;
  for (const m of messages as Array<{ role?: unknown; content?: unknown }>) {
    if (m?.role !== 'system' && m?.role !== 'developer') continue;
    if (typeof m.content === 'string') texts.push(m.content);
    else if (Array.isArray(m.content)) texts.push((m.content as Array<{ text?: unknown }>).map((b) => (typeof b?.text === 'string' ? b.text : '')).join(''));
  }
  return texts;
}

function scenarioOf(result: PromptfooResult, target: MappingTarget): Scenario | string {
  const vars = result.vars ?? result.testCase?.vars ?? {};
  const name = target.scenarioVar;
  const value = vars[name];
  if (value !== undefined && value !== null && value !== '') {
    const id = typeof value === 'string' ? value : typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
    if (id === null) return `vars.${name}: expected a scenario id or a scenario with an id`;
    const s = target.scenarios.find((x) => x.id === id);
    return s ?? `vars.${name} "${clip(id)}": not a scenario in the dataset`;
  }
  const texts = Object.values(vars).filter((v): v is string => typeof v === 'string');
  const byMessage = target.scenarios.find((s) => texts.some((t) => t === s.message || t.trim() === s.message.trim()));
  return byMessage ?? `a test without vars.${name} and without a var equal to a scenario's message (--scenario-var NAME names the var holding the id)`;
}

function modelOf(result: PromptfooResult, target: MappingTarget): ModelConfig | string {
  const id = typeof result.provider === 'string' ? result.provider : result.provider.id;
  const label = typeof result.provider === 'string' ? undefined : result.provider.label;
  const anthropic = /^anthropic:(?:messages:)?([^:]+)$/.exec(id);
  const openai = /^openai:(?:(responses|chat):)?([^:]+)$/.exec(id);
  let found: Pick<ModelConfig, 'provider' | 'model' | 'api'> | null = null;
  if (anthropic) found = { provider: 'anthropic', model: anthropic[1]! };
  else if (openai) found = { provider: 'openai', model: openai[2]!, api: openai[1] === 'responses' ? 'responses' : 'chat' };
  if (!found) return `provider "${clip(id)}": expected anthropic:messages:<model>, openai:responses:<model> or openai:chat:<model>`;
  // A suite's openai-compatible model is exported as an openai: provider; the suite says which.
  const known = target.models.find((m) => m.model === found.model && (m.provider === found.provider || (found.provider === 'openai' && m.provider === 'openai-compatible')));
  if (known) return known;
  return { ...found, ...(label && label !== id && { label }) } as ModelConfig;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
