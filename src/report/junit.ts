// junit.xml: one test case per cell, so that any CI system (GitHub, GitLab, Jenkins, Buildkite)
// lists the documents that fail. A failing hard grader is a <failure> carrying every failing hard
// grader's reason; a document that only misses the score threshold fails with that; a cell that
// could not be generated is an <error>; a planned cell that was not run is <skipped>.

import { promptVersionOf, type CellResult } from '../runner/results.ts';
import { groupName, score } from './format.ts';
import type { Group, ReportModel } from './model.ts';

/** Escape for XML text and attributes, dropping characters XML 1.0 cannot hold at all. */
export function xml(s: string): string {
  return s
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const attr = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

const secs = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

interface Verdict {
  kind: 'pass' | 'failure' | 'error';
  type?: string;
  message?: string;
  body?: string;
}

export function verdictOf(c: CellResult, hard: string[], threshold: number): Verdict {
  if (c.status === 'error') return { kind: 'error', type: 'generation-error', message: c.error ?? 'the cell failed', body: c.error ?? '' };
  if (c.pass !== false) return { kind: 'pass' };
  const failedHard = Object.entries(c.grades).filter(([id, g]) => hard.includes(id) && !g.pass);
  const status = c.status === 'ok' ? '' : ` (output ${c.status}${c.stopReason ? `: ${c.stopReason}` : ''})`;
  if (failedHard.length) {
    return {
      kind: 'failure',
      type: 'hard-grader',
      message: `${failedHard.map(([id, g]) => `${id}: ${g.reason}`).join('; ')}${status}`,
      body: failedHard.map(([id, g]) => `${id} (hard) failed, score ${g.score}: ${g.reason}`).join('\n'),
    };
  }
  return { kind: 'failure', type: 'threshold', message: `score ${score(c.score)} is below the pass threshold ${threshold}${status}`, body: `overall score ${c.score} < ${threshold}` };
}

function testcase(c: CellResult, g: Group, m: ReportModel): string {
  const v = verdictOf(c, m.hard, m.passThreshold);
  const name = g.reference ? `${c.scenario} (hand-written reference)` : `${c.scenario} #${c.sample}`;
  const classname = g.reference ? 'promptgate.reference' : `promptgate.${g.version}.${g.modelKey}`;
  const soft = Object.entries(c.grades).filter(([id, x]) => !m.hard.includes(id) && !x.pass);
  const out = [
    `status: ${c.status}${c.stopReason ? ` (${c.stopReason})` : ''}; score: ${score(c.score)}; pass: ${c.pass ?? 'not graded'}; cost: ${c.costUsd ?? 'unknown'} USD; cell: ${c.id}`,
    ...soft.map(([id, x]) => `${id} (soft) failed, score ${x.score}: ${x.reason}`),
  ].join('\n');
  const inner =
    v.kind === 'pass'
      ? ''
      : `\n      <${v.kind}${attr({ message: v.message ?? '', type: v.type ?? v.kind })}>${xml(v.body ?? '')}</${v.kind}>`;
  return `    <testcase${attr({ name, classname, time: secs(c.latencyMs) })}>${inner}\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
}

function skippedCase(p: ReportModel['pending'][number], m: ReportModel): string {
  const message = `not run in ${m.run.id} (${m.run.status}): no credentials, interrupted, or the spend cap was reached`;
  return `    <testcase${attr({ name: `${p.scenario} #${p.sample}`, classname: `promptgate.${p.version}.${p.modelKey}`, time: '0.000' })}>\n      <skipped${attr({ message })}/>\n    </testcase>`;
}

export function renderJunit(m: ReportModel): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let time = 0;
  for (const g of m.groups) {
    const cells = [...g.cells].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.sample - b.sample);
    const verdicts = cells.map((c) => verdictOf(c, m.hard, m.passThreshold).kind);
    const pending = m.pending.filter((p) => p.version === g.version && p.modelKey === g.modelKey);
    const f = verdicts.filter((k) => k === 'failure').length;
    const e = verdicts.filter((k) => k === 'error').length;
    const t = cells.reduce((s, c) => s + (c.latencyMs ?? 0), 0);
    tests += cells.length + pending.length;
    failures += f;
    errors += e;
    skipped += pending.length;
    time += t;
    const props = [
      ['run', m.run.id],
      ['version', g.version],
      ['model', g.reference ? 'hand-written reference (not a model)' : g.modelKey],
      ['meanScore', score(g.agg.meanScore)],
      ['passRate', g.agg.passRate === null ? '' : String(g.agg.passRate)],
      ['promptSha256', m.run.versions.find((v) => v.version === promptVersionOf(g.version))?.sha256 ?? ''],
    ];
    suites.push(
      [
        `  <testsuite${attr({ name: groupName(g), tests: cells.length + pending.length, failures: f, errors: e, skipped: pending.length, time: secs(t), timestamp: m.run.startedAt.replace(/\.\d+Z$/, 'Z') })}>`,
        `    <properties>\n${props.map(([k, v]) => `      <property${attr({ name: k!, value: v! })}/>`).join('\n')}\n    </properties>`,
        ...cells.map((c) => testcase(c, g, m)),
        ...pending.map((p) => skippedCase(p, m)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const orphans = m.pending.filter((p) => !m.groups.some((g) => g.version === p.version && g.modelKey === p.modelKey));
  if (orphans.length) {
    tests += orphans.length;
    skipped += orphans.length;
    suites.push(
      [
        `  <testsuite${attr({ name: 'not run', tests: orphans.length, failures: 0, errors: 0, skipped: orphans.length, time: '0.000', timestamp: m.run.startedAt.replace(/\.\d+Z$/, 'Z') })}>`,
        ...orphans.map((p) => skippedCase(p, m)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attr({ name: `promptgate ${m.run.suite.file} ${m.run.id}`, tests, failures, errors, skipped, time: secs(time) })}>\n${suites.join('\n')}\n</testsuites>\n`;
}
