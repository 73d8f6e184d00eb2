// What `promptgate init` writes: a project that runs at once — a config naming the folders, one
// released prompt (with its lock entry), two scenarios with hand-written reference answers, a
// suite graded by generic checks, and a CI workflow. Plain data: the command writes it.

import { contentSha256 } from '../registry/load.ts';
import type { FrontMatter } from '../registry/schema.ts';

export interface ScaffoldFile {
  path: string;
  text: string;
}

const PROMPT_TEXT = `You are an on-call lead for a data platform team. You write runbooks that a tired engineer can follow at 3 AM.

Given a description of one data pipeline — its sources, schedule or latency target, volumes and data quality rules — write an on-call runbook for it in markdown with exactly these sections, as ## headings:

## Overview
What the pipeline does, its sources and its freshness target, in at most five sentences.

## Alerts
A table with one row per alert: | Alert | Condition | Severity | First action |. Every alert has a numeric threshold.

## Recovery steps
Numbered steps for the most likely failures (a late or missing source, a failed quality check, a stuck job). Say how to re-run safely without duplicating data.

## Escalation
Who to call and when, as a short list.

Keep it under 600 words. Do not invent technologies the description does not mention; say "(assumed)" when you must assume something.`;

const META: FrontMatter = {
  id: 'pipeline-runbook',
  version: '1.0.0',
  status: 'released',
  title: 'Pipeline on-call runbook',
  created: 'set by scaffoldFiles',
  updated: 'set by scaffoldFiles',
  source: 'promptgate init',
  changelog: ['1.0.0: the starter prompt promptgate init writes; edit it with promptgate registry new pipeline-runbook --from 1.0.0'],
  generation: { maxTokens: 2048 },
  userTemplate: '{{message}}',
};

const CONFIG = `# promptgate project config. Commands run from any folder below this one use these paths
# (relative to this folder; the values shown are the defaults). See "Use in another project" in
# promptgate's README.
paths:
  prompts: prompts
  scenarios: datasets/scenarios
  references: datasets/references
  evals: evals
  suite: evals/default.yaml
  runs: reports/runs
  baseline: reports/baseline.json
  store: .promptgate/store
# Grader modules every suite loads: ./graders/my-check.ts (from this folder) or a package name,
# each default-exporting defineGrader({ ... }) from 'promptgate'.
graders: []
`;

const SUITE = `# The default suite (npm run eval): every version of the runbook prompt against both scenarios.
# Without ANTHROPIC_API_KEY / OPENAI_API_KEY the models are skipped with one line each and only
# the hand-written references in datasets/references/ are graded: a run that costs nothing.
description: Runbook prompt × 2 scenarios × Claude and GPT, 2 samples
prompt: pipeline-runbook
versions: all
models:
  - { provider: anthropic, model: claude-sonnet-5-5, label: Claude Sonnet 5.5 }
  - { provider: openai, model: gpt-5.6-terra, label: GPT-5.6 Terra }
scenarios: all
samples: 2
graders:
  checks:
    - { type: headings, required: [Overview, Alerts, Recovery steps, Escalation], weight: 2 }
    - { type: words, min: 150, max: 600 }
    - { id: numbered-steps, type: regex, pattern: '^\\s*1[.)]\\s', flags: m, description: recovery steps are numbered }
    - { id: safe-rerun, type: contains, value: [re-run], description: says how to re-run }
    - { id: no-placeholders, type: not-contains, value: [TODO, lorem ipsum, '[insert'] }
    - { type: cost, maxUsd: 0.05 }
  hard: [headings]
  passThreshold: 0.8
budgetUsd: 2
`;

const SCENARIOS: Record<string, string> = {
  'orders-nightly-batch': `id: orders-nightly-batch
title: Nightly orders batch from Postgres, ready by 7 AM
tags: [batch, smoke]
message: >-
  Our nightly job copies the orders table (about 2 million rows, +30K a day) from Postgres into
  the warehouse and must be ready by 7 AM for the finance dashboard. Rows with a null customer id
  are rejected into an errors table. Write the on-call runbook for it.
facts:
  sources:
    - { name: Postgres orders table, aliases: [Postgres, orders table], kind: database, volume: '~2M rows, +30K/day' }
  processing: batch
  latency:
    - { for: finance dashboard, seconds: 86400, text: ready by 7 AM }
  volumes: [~2M rows, ~30K new rows/day]
  freshness: [ready daily by 7 AM]
  quality: [reject rows with a null customer id into an errors table]
expectations:
  mustAddress:
    - { name: late data, aliases: [late, deadline, 7 AM] }
    - { name: safe re-run, aliases: [re-run, idempotent, rerun] }
  deliverySemantics: either
  overEngineering:
    - { name: Kafka, aliases: [Apache Kafka] }
`,
  'clickstream-streaming': `id: clickstream-streaming
title: Clickstream events from Kafka into the warehouse within 5 minutes
tags: [streaming]
message: >-
  We stream website click events (about 3,000 per second at peak) from Kafka into the warehouse;
  the marketing dashboard must be at most 5 minutes behind. Events without a session id are
  dropped and counted. Write the on-call runbook for it.
facts:
  sources:
    - { name: Kafka clickstream topic, aliases: [Kafka, clickstream], kind: stream, volume: '~3,000 events/s at peak' }
  processing: streaming
  latency:
    - { for: marketing dashboard, seconds: 300, text: at most 5 minutes behind }
  volumes: [~3,000 events/s at peak]
  freshness: [dashboard at most 5 minutes behind]
  quality: [drop and count events without a session id]
expectations:
  mustAddress:
    - { name: consumer lag, aliases: [lag, behind] }
    - { name: safe re-run, aliases: [re-run, replay, offset] }
  deliverySemantics: at-least-once
  overEngineering: []
`,
};

const REFERENCES: Record<string, string> = {
  'orders-nightly-batch': `## Overview
The nightly job copies the Postgres orders table (about 2 million rows, growing by 30K a day) into the warehouse. The finance dashboard reads it and needs it by 7 AM. Rows with a null customer id go to the errors table instead of the warehouse.

## Alerts
| Alert | Condition | Severity | First action |
|---|---|---|---|
| Job late | not finished by 06:30 | high | check the job log for the failing step |
| Rows rejected | more than 1% of rows in the errors table | medium | look at the newest rejected rows |
| Row count drop | fewer than 20K new rows | medium | compare with the source count in Postgres |

## Recovery steps
1. If Postgres was unreachable, wait for it to come back and re-run the job: it replaces the night's partition, so a re-run never duplicates rows.
2. If the quality check failed, read the errors table, fix the cause upstream, then re-run.
3. If the job is stuck for more than 30 minutes, stop it and re-run from the start.

## Escalation
- After 06:30 with no fix in sight: the data engineering lead.
- If the dashboard will be late: tell the finance analyst on call.
`,
  'clickstream-streaming': `## Overview
Click events stream from the Kafka clickstream topic (about 3,000 a second at peak) into the warehouse. The marketing dashboard must be at most 5 minutes behind. Events without a session id are dropped and counted.

## Alerts
| Alert | Condition | Severity | First action |
|---|---|---|---|
| Consumer lag | more than 3 minutes behind for 5 minutes | high | check the consumer's health and restart it |
| Dropped events | more than 2% of events without a session id | medium | check the latest website release |
| No events | zero events for 2 minutes | high | check the Kafka topic and the producer |

## Recovery steps
1. If the consumer crashed, restart it: it resumes from its last committed offset. Writes are keyed by event id, so a re-run of the same offsets does not duplicate rows.
2. If lag keeps growing, add a consumer instance (up to the topic's partition count).
3. To replay a bad hour, reset the consumer group's offset to the hour's start and re-run.

## Escalation
- Lag above 10 minutes: the streaming on-call engineer.
- A broken producer: the web team's on-call.
`,
};

const WORKFLOW = `# Pull-request check for the prompts: lint the registry and the scenarios, run the eval suite,
# and gate against reports/baseline.json when there is one (make it with
# npx promptgate baseline update after a run of the released version).
# Set ANTHROPIC_API_KEY and OPENAI_API_KEY as repository secrets; without them the eval grades
# only the hand-written references.
name: prompt-eval

on:
  pull_request:
    paths: ['prompts/**', 'datasets/**', 'evals/**', 'promptgate.config.*']

permissions:
  contents: read

jobs:
  eval:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci --no-audit --no-fund
      - run: npx promptgate registry lint
      - run: npx promptgate dataset lint
      - run: npx promptgate eval
        env:
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
          OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
      - name: Gate against the baseline
        if: hashFiles('reports/baseline.json') != ''
        run: npx promptgate gate
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: promptgate-reports
          path: reports/runs/
`;

const GITIGNORE = `node_modules/
reports/runs/
.promptgate/
`;

/** The files of a new project; `today` dates the release in the lock. */
export function scaffoldFiles(today: string): ScaffoldFile[] {
  const meta = { ...META, created: today, updated: today };
  const promptFile = `---\n${frontMatter(meta)}---\n${PROMPT_TEXT}\n`;
  const lock = { lockfileVersion: 1, prompts: { [META.id]: { [META.version]: { sha256: contentSha256(META, PROMPT_TEXT), released: today } } } };
  return [
    { path: 'promptgate.config.yaml', text: CONFIG },
    { path: `prompts/${META.id}/${META.version}.md`, text: promptFile },
    { path: 'prompts/registry.lock.json', text: `${JSON.stringify(lock, null, 2)}\n` },
    ...Object.entries(SCENARIOS).map(([id, text]) => ({ path: `datasets/scenarios/${id}.yaml`, text })),
    ...Object.entries(REFERENCES).map(([id, text]) => ({ path: `datasets/references/${id}.md`, text })),
    { path: 'evals/default.yaml', text: SUITE },
    { path: '.github/workflows/prompt-eval.yml', text: WORKFLOW },
    { path: '.gitignore', text: GITIGNORE },
  ];
}

function frontMatter(m: FrontMatter): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    `id: ${m.id}`,
    `version: ${m.version}`,
    `status: ${m.status}`,
    `title: ${m.title}`,
    `created: ${m.created}`,
    `updated: ${m.updated}`,
    `source: ${m.source}`,
    'changelog:',
    ...m.changelog.map((c) => `  - ${q(c)}`),
    'generation:',
    `  maxTokens: ${m.generation.maxTokens}`,
    `userTemplate: ${q(m.userTemplate)}`,
    '',
  ].join('\n');
}
