// `promptgate calibrate --judge`: a judge over the labelled calibration documents, so that a user
// sees whether it can be trusted before gating on it. Each rubric is measured against the label
// it names (a grader's label in labels.yaml that asks the same question, or its own entry in
// judge-labels.yaml); a document without that label, or without the scenario the rubric needs,
// is left out and counted.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { Labels } from '../calibration.ts';
import { resolveScenario } from '../dataset/load.ts';
import type { Provider } from '../providers/types.ts';
import { readText, readYaml, validate } from '../files.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { ModelConfig } from '../suite/schema.ts';
import { agreement, type Agreement } from './agreement.ts';
import { judge, type Judgement } from './judge.ts';
import type { Rubric } from './rubric.ts';

/** judge-labels.yaml: per document, the rubric verdicts a careful reader expects. */
export const JudgeLabelsSchema = Type.Record(
  Type.String({ pattern: '\\.md$' }),
  Type.Object({ description: Type.Optional(Type.String()), scenario: Type.Optional(Type.String({ minLength: 1 })), expect: Type.Record(Type.String(), Type.Boolean()) }, { additionalProperties: false }),
);

export interface RubricCalibration extends Agreement {
  rubric: string;
  /** The label it was measured against. */
  label: string;
  /** Documents left out: no such label, or no scenario for a rubric that needs one. */
  unlabelled: number;
  costUsd: number | null;
  disagreements: Array<{ document: string; expected: boolean; verdict: Judgement['verdict']; reason: string; quotes: string[]; error?: string }>;
}

export function loadJudgeLabels(dir: string): Labels {
  const file = join(dir, 'judge-labels.yaml');
  if (!existsSync(file)) return {};
  const labels = validate(JudgeLabelsSchema, readYaml(file), file);
  return Object.fromEntries(Object.entries(labels).map(([doc, l]) => [doc, { description: l.description ?? '', ...(l.scenario && { scenario: l.scenario }), expect: l.expect }]));
}

export async function calibrateJudge(opts: {
  dir: string;
  labels: Labels;
  judgeLabels: Labels;
  rubrics: readonly Rubric[];
  judge: ModelConfig;
  provider: Provider;
  store: ResponseStore;
  concurrency: number;
}): Promise<RubricCalibration[]> {
  const out: RubricCalibration[] = [];
  for (const rubric of opts.rubrics) {
    const label = rubric.label ?? rubric.id;
    const source = rubric.label ? opts.labels : opts.judgeLabels;
    const cases = Object.entries(source).filter(([, l]) => l.expect[label] !== undefined && (!rubric.scenario || l.scenario));
    const unlabelled = new Set([...Object.keys(opts.labels), ...Object.keys(opts.judgeLabels)]).size - cases.length;
    const judged: Array<{ document: string; expected: boolean; j: Judgement }> = [];
    for (let i = 0; i < cases.length; i += opts.concurrency) {
      const batch = cases.slice(i, i + opts.concurrency);
      judged.push(
        ...(await Promise.all(
          batch.map(async ([document, l]) => {
            const text = readText(join(opts.dir, document), 8 * 1024 * 1024);
            const scenario = l.scenario ? resolveScenario(l.scenario) : null;
            return { document, expected: l.expect[label]!, j: await judge({ rubric, document: text, scenario, judge: opts.judge, provider: opts.provider, store: opts.store }) };
          }),
        )),
      );
    }
    const costs = judged.map((x) => x.j.costUsd);
    out.push({
      rubric: rubric.id,
      label,
      unlabelled,
      ...agreement(judged.map((x) => ({ label: x.expected, verdict: x.j.verdict }))),
      costUsd: costs.includes(null) ? null : costs.reduce<number>((a, b) => a + b!, 0),
      disagreements: judged
        .filter((x) => x.j.verdict === null || (x.j.verdict === 'pass') !== x.expected)
        .map((x) => ({ document: x.document, expected: x.expected, verdict: x.j.verdict, reason: x.j.reason, quotes: x.j.quotes, ...(x.j.error && { error: x.j.error }) })),
    });
  }
  return out;
}
