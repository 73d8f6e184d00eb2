// A suite as a promptfooconfig: the same requests, sent by promptfoo's own providers, graded by
// promptgate's graders as promptfoo assertions. Pure: suite, registry versions and scenarios in,
// a plain config object out (the command writes it as YAML).
//
// Requests are taken from planCells, so they are the ones `promptgate eval` sends, byte for
// byte: the version's text as the system prompt (Anthropic: one text block marked for prompt
// caching; OpenAI Responses: `instructions`), the rendered user template as the user message,
// and the same max tokens and temperature. promptfoo has one provider config per model but the
// settings can differ per version (each version's front matter), so each version × model is
// its own promptfoo prompt, carrying its settings in the prompt's `config`, and each provider
// is limited to its own prompts. promptfoo's view then shows the version × model matrix.
//
// Three promptfoo behaviours shape the text (node_modules/promptfoo 0.121):
//   - every string of a JSON (chat) prompt is a nunjucks template, so a system text containing
//     {{ {% or {# is wrapped in {% raw %} (rendered, it is the text itself);
//   - a prompt without a newline that looks like a path ("a/b", "x.md") is read as a file, so
//     such a user template goes in chat form instead;
//   - a var's one trailing newline is dropped, so a scenario message ending in one is reported.

import type { Check } from '../../graders/generic/schema.ts';
import type { GradePolicy } from '../../graders/grade.ts';
import type { Scenario } from '../dataset/schema.ts';
import type { PromptVersion } from '../registry/load.ts';
import { variablesOf } from '../registry/template.ts';
import { modelKey } from '../runner/execute.ts';
import { planCells, type Cell } from '../runner/plan.ts';
import type { ModelConfig, Suite } from '../suite/schema.ts';

/** The prompt id promptfoo records with each result: how `import promptfoo` finds the cell again. */
export const PROMPT_ID_PREFIX = 'promptgate:';

export function promptfooPromptId(promptId: string, version: string, model: Pick<ModelConfig, 'provider' | 'model'>): string {
  return `${PROMPT_ID_PREFIX}${promptId}@${version}|${model.provider}:${model.model}`;
}

/** The inverse of promptfooPromptId; null for any other id. */
export function parsePromptfooPromptId(id: string): { promptId: string; version: string; model: string } | null {
  const m = /^promptgate:([^@|]+)@([^|]+)\|(.+)$/.exec(id);
  return m ? { promptId: m[1]!, version: m[2]!, model: m[3]! } : null;
}

/** The promptfoo provider id for a suite model. */
export function promptfooProviderId(m: ModelConfig): string {
  if (m.provider === 'anthropic') return `anthropic:messages:${m.model}`;
  return `openai:${(m.api ?? 'responses') === 'responses' ? 'responses' : 'chat'}:${m.model}`;
}

/** Claude models promptfoo 0.121 sends no temperature (CLAUDE_MODEL_FAMILIES, samplingParamsDeprecated). */
const SAMPLING_REFUSED = /(^|[^a-z0-9])claude-(?:(?:fable|mythos)-5(?![a-z0-9])|(?:opus|sonnet)-5(?![0-9])|opus-4-[78](?![0-9]))/i;

export interface ExportInput {
  suite: Suite;
  suiteFile: string;
  versions: PromptVersion[];
  scenarios: Scenario[];
  policy: GradePolicy;
  /**
   * The suite's graders that run on a text, with their default weights, in report order (a
   * generic check with its definition). `appliesTo`: the scenarios a grader runs for when not
   * all (a grader for multi-turn scenarios, say); it is then asserted in those tests only.
   */
  graders: Array<{ id: string; weight: number; needsScenario?: boolean; check?: Check; appliesTo?: string[] }>;
  /** The assertion module as the config refers to it (file://… relative to the config, or package:…). */
  assertionModule: string;
  /** The scenarios folder as the assertion finds it from where promptfoo runs. */
  scenariosDir: string;
}

export interface Exported {
  config: Record<string, unknown>;
  /** Differences promptfoo cannot avoid, one line each (the command prints them). */
  notes: string[];
}

export function promptfooConfig(input: ExportInput): Exported {
  const { suite, versions, scenarios } = input;
  const notes: string[] = [];
  // One sample is enough to read every request; samples become `repeat`.
  const cells = planCells({ ...suite, samples: 1 }, versions, scenarios).filter((c) => !c.chain);
  // A follow-up turn needs the model's own earlier answer in its request; promptfoo's tests are
  // single requests, so only the first turn of a multi-turn scenario is exported.
  const multi = scenarios.filter((s) => s.followUps?.length).map((s) => s.id);
  if (multi.length) notes.push(`multi-turn scenarios (${multi.join(', ')}): only their first turn is exported; run promptgate eval for the follow-ups`);
  const firstOf = new Map<string, Cell>();
  for (const c of cells) if (!firstOf.has(`${c.version}|${modelKey(c)}`)) firstOf.set(`${c.version}|${modelKey(c)}`, c);

  const prompts: Array<Record<string, unknown>> = [];
  const idsByModel = new Map<string, string[]>();
  for (const v of versions) {
    for (const m of suite.models) {
      const cell = firstOf.get(`${v.meta.version}|${m.provider}:${m.model}`);
      if (!cell) continue;
      const id = promptfooPromptId(v.meta.id, v.meta.version, m);
      prompts.push({ id, label: `${v.meta.id}@${v.meta.version}`, ...promptShape(m, v, cell, notes) });
      idsByModel.set(`${m.provider}:${m.model}`, [...(idsByModel.get(`${m.provider}:${m.model}`) ?? []), id]);
    }
  }

  const providers = suite.models.map((m) => ({
    id: promptfooProviderId(m),
    label: m.label ?? m.model,
    prompts: idsByModel.get(`${m.provider}:${m.model}`) ?? [],
    config: providerSettings(m),
  }));
  for (const m of suite.models.filter((x) => x.provider === 'anthropic' && !SAMPLING_REFUSED.test(x.model)))
    notes.push(`${m.model}: promptfoo sends it temperature 0 (it omits sampling settings only for Claude Sonnet 5, Opus 4.7+, Fable/Mythos 5); promptgate never sends one`);
  if (suite.models.some((m) => m.provider === 'openai-compatible')) notes.push('openai-compatible models are exported as promptfoo openai: providers with apiBaseUrl; set the key variable they expect');

  const assertion = (g: ExportInput['graders'][number]) => ({
    type: 'javascript',
    value: `${input.assertionModule}:grade`,
    metric: g.id,
    weight: input.policy.weights[g.id] ?? g.weight,
    config: { grader: g.id, ...(input.policy.hard.includes(g.id) && { hard: true }), ...(g.check && { checks: [g.check] }), scenarios: input.scenariosDir },
  });
  const used = new Set(versions.flatMap((v) => variablesOf(v.meta.userTemplate)));
  const tests = scenarios.map((s) => {
    if (s.message.endsWith('\n')) notes.push(`scenario ${s.id}: its message ends with a newline, which promptfoo drops from vars (the request differs by that newline)`);
    const own = input.graders.filter((g) => g.appliesTo?.includes(s.id));
    return {
      description: `${s.id}: ${s.title}`,
      vars: { scenario: s.id, ...(used.has('message') && { message: s.message }), ...(used.has('title') && { title: s.title }), ...(used.has('id') && { id: s.id }) },
      // promptfoo adds these to defaultTest's assertions.
      ...(own.length && { assert: own.map(assertion) }),
    };
  });

  const concurrency = new Map<string, number>();
  for (const m of suite.models) concurrency.set(m.provider, Math.max(concurrency.get(m.provider) ?? 0, m.concurrency ?? 4));

  return {
    notes,
    config: {
      description: suite.description ?? `promptgate suite ${input.suiteFile}`,
      prompts,
      providers,
      defaultTest: {
        // promptgate's pass rule: the weighted score reaches passThreshold AND every hard grader
        // passes. `threshold` alone would ignore the hard graders, so a scoring function decides.
        threshold: input.policy.passThreshold,
        assertScoringFunction: `${input.assertionModule}:scoreTest`,
        assert: input.graders.filter((g) => !g.appliesTo).map(assertion),
      },
      tests,
      evaluateOptions: { repeat: suite.samples, maxConcurrency: [...concurrency.values()].reduce((a, b) => a + b, 0) },
    },
  };
}

/** The request shape the runner sends for this vendor, as a promptfoo prompt (raw + per-version config). */
function promptShape(m: ModelConfig, v: PromptVersion, cell: Cell, notes: string[]): Record<string, unknown> {
  const user = nunjucksTemplate(v.meta.userTemplate);
  const { system, maxTokens, temperature } = cell.request;
  if (m.provider === 'anthropic') {
    // src/providers/anthropic.ts: the system prompt as one cached text block (none when empty); no temperature.
    const messages = [...(system ? [{ role: 'system', content: [{ type: 'text', text: rawText(system, v), cache_control: { type: 'ephemeral' } }] }] : []), { role: 'user', content: user }];
    return { raw: JSON.stringify(messages, null, 2), config: { max_tokens: maxTokens } };
  }
  const settings = { ...(temperature !== undefined && { temperature }) };
  if ((m.api ?? 'responses') === 'responses') {
    // src/providers/openai.ts: instructions = the system text, input = the user message. A prompt's
    // config is not a template, so the text goes as it is.
    const looksLikePath = !user.includes('\n') && /[/\\*]|\.[\w]{2,3}$|:[^:]*\.\w+$/.test(user);
    if (looksLikePath) notes.push(`${v.meta.id}@${v.meta.version}: the user template looks like a file path to promptfoo, so it is sent as a one-message input list`);
    return { raw: looksLikePath ? JSON.stringify([{ role: 'user', content: user }]) : user, config: { instructions: system, max_output_tokens: maxTokens, ...settings } };
  }
  // Chat Completions: OpenAI's own models take "developer", compatible servers "system".
  const role = m.provider === 'openai-compatible' ? 'system' : 'developer';
  return {
    raw: JSON.stringify([{ role, content: rawText(system, v) }, { role: 'user', content: user }], null, 2),
    config: { ...(m.provider === 'openai-compatible' ? { max_tokens: maxTokens } : { max_completion_tokens: maxTokens }), ...settings },
  };
}

function providerSettings(m: ModelConfig): Record<string, unknown> {
  const common = { ...(m.baseURL && { apiBaseUrl: m.baseURL }), ...(m.apiKeyEnv && { apiKeyEnvar: m.apiKeyEnv }) };
  // Anthropic: streamed, as the runner does. OpenAI: nothing kept server-side, and no default
  // temperature or max tokens of promptfoo's own (omitDefaults) beyond what each prompt sets.
  if (m.provider === 'anthropic') return { stream: true, ...common };
  return { omitDefaults: true, ...(m.provider === 'openai' && m.api !== 'chat' && { store: false }), ...common };
}

/** promptgate's {{name}} placeholders are nunjucks ones already; literal text is kept literal. */
function nunjucksTemplate(template: string): string {
  const parts = template.split(/(\{\{\s*[^{}]*?\s*\}\})/);
  return parts.map((part, i) => (i % 2 === 1 ? `{{ ${part.slice(2, -2).trim()} }}` : rawText(part))).join('');
}

const NUNJUCKS_SYNTAX = /\{\{|\{%|\{#|%\}|#\}|\}\}/;

/** Text that nunjucks renders to itself. */
function rawText(text: string, v?: PromptVersion): string {
  if (!NUNJUCKS_SYNTAX.test(text)) return text;
  if (/\{%-?\s*endraw\s*-?%\}/.test(text)) throw new ExportError(`${v ? `${v.file}: ` : ''}the text contains "{% endraw %}", which promptfoo's templates cannot carry literally; expected text without it`);
  return `{% raw %}${text}{% endraw %}`;
}

export class ExportError extends Error {
  override name = 'ExportError';
}
