// The model judge end to end: the real bin, the real SDKs, the emulators answering as a judge
// would (or as a bad one would: malformed JSON, refusals, a judge that always says pass).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmulatedRequest } from '../testing/emulator-core.ts';
import { parse } from 'yaml';
import { cli, root, tempDir } from '../testing/cli.ts';
import { evalCli, runIds, suiteFolder, TEST_KEYS } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import type { RunJudgements } from './run.ts';

const emu = useEmulators();
const JUDGES = `judge:
  models:
    - { provider: anthropic, model: claude-sonnet-5-5 }
    - { provider: openai, model: gpt-5.6-terra }
  rubrics: [right-sized]
`;
const isJudge = (r: EmulatedRequest) => r.system.startsWith('You are a careful reviewer');
/** A line of the document the judge was shown (the user message numbers them "  12| text"). */
const quoteFrom = (r: EmulatedRequest) => r.user.split('\n').map((l) => /^\s*\d+\| (.{12,})$/.exec(l)?.[1]).find(Boolean)!;
const answer = (r: EmulatedRequest, verdict = 'pass') => JSON.stringify({ verdict, score: verdict === 'pass' ? 0.9 : 0.1, quotes: [quoteFrom(r)], reason: 'Managed services only, for a team of two.' });
const env = { env: { ANTHROPIC_API_KEY: TEST_KEYS.anthropic, OPENAI_API_KEY: TEST_KEYS.openai, ANTHROPIC_BASE_URL: '', OPENAI_BASE_URL: '' } };
const withUrls = () => ({ env: { ...env.env, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL } });

async function judgedRun() {
  const f = suiteFolder({ extra: JUDGES });
  const r = await evalCli(emu, ['--suite', f.suite, '--no-compare']).done;
  expect(r.code, r.stderr).toBe(0);
  return { f, run: join(f.out, runIds(f.out).find((d) => d !== 'latest')!) };
}

describe('promptgate judge', () => {
  it('judges every output by the other family, writes judge.json, and pays nothing the second time', async () => {
    const { f, run } = await judgedRun();
    emu.respond = (r) => (isJudge(r) ? { text: answer(r, r.model === 'gpt-5.6-terra' ? 'pass' : 'fail') } : undefined);
    const first = await cli(['judge', run, '--store', f.store], undefined, withUrls());
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(run, 'judge.json'), 'utf8')) as RunJudgements;
    expect(out.judgements).toHaveLength(8); // 2 versions × 2 scenarios × 2 models × 1 rubric
    for (const j of out.judgements) {
      // Claude's documents go to GPT and the reverse.
      expect(j.judge).toBe(j.cell.includes('anthropic:') ? 'openai:gpt-5.6-terra' : 'anthropic:claude-sonnet-5-5');
      expect(j.verdict).toBe(j.cell.includes('anthropic:') ? 'pass' : 'fail');
      expect(j.quotes).toHaveLength(1);
      expect(j.costUsd).toBeGreaterThan(0);
    }
    expect(first.stdout).toMatch(/right-sized\s+1\.1\.0\s+claude-sonnet-5-5\s+2\s+100%/);
    expect(first.stdout).toMatch(/they do not gate/);
    // The reports show it, apart from the graders.
    expect(readFileSync(join(run, 'report.md'), 'utf8')).toMatch(/### Model judge \(opinions, not gated\)[\s\S]*\| right-sized \| 1\.1\.0 \| claude-sonnet-5-5 \| 2 \| 100% \|/);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('<section id="judge">');
    const asked = emu.requests.filter(isJudge).length;
    expect(asked).toBe(8);
    const again = await cli(['judge', run, '--store', f.store, '--json'], undefined, withUrls());
    expect(again.code, again.stderr).toBe(0);
    expect(emu.requests.filter(isJudge).length).toBe(asked);
    const second = JSON.parse(readFileSync(join(run, 'judge.json'), 'utf8')) as RunJudgements;
    expect(second.judgements.every((j) => j.cached)).toBe(true);
  });

  it('asks once more after a malformed answer, and gives up after two', async () => {
    const { f, run } = await judgedRun();
    // Claude's judge (GPT) answers badly at first; Claude as judge never answers well.
    emu.respond = (r) => (!isJudge(r) ? undefined : r.model === 'gpt-5.6-terra' ? { text: r.attempt === 0 ? 'The design looks fine to me.' : answer(r) } : { text: JSON.stringify({ verdict: 'pass', score: 1, quotes: ['a line the document does not have'], reason: 'x' }) });
    const r = await cli(['judge', run, '--store', f.store], undefined, withUrls());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(run, 'judge.json'), 'utf8')) as RunJudgements;
    const byGpt = out.judgements.filter((j) => j.judge === 'openai:gpt-5.6-terra');
    const byClaude = out.judgements.filter((j) => j.judge === 'anthropic:claude-sonnet-5-5');
    expect(byGpt.every((j) => j.verdict === 'pass' && j.attempts === 2)).toBe(true);
    expect(byClaude.every((j) => j.verdict === null && /malformed answer twice \(quotes text the document does not contain/.test(j.error!))).toBe(true);
    expect(out.summary.find((s) => s.model === 'gpt-5.6-terra')).toMatchObject({ judged: 0, errors: 2, passRate: null });
  });

  it('records a refusal as an error, not a verdict', async () => {
    const { f, run } = await judgedRun();
    emu.respond = (r) => (isJudge(r) ? { text: 'I cannot help with that.', stopReason: 'refusal' } : undefined);
    const r = await cli(['judge', run, '--store', f.store, '--rubrics', 'right-sized'], undefined, withUrls());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(run, 'judge.json'), 'utf8')) as RunJudgements;
    expect(out.judgements.every((j) => j.verdict === null && j.error === 'the judge refused')).toBe(true);
  });

  it('skips with one line when no judge has a key, and refuses an unknown rubric', async () => {
    const { f, run } = await judgedRun();
    const none = await cli(['judge', run, '--store', f.store], undefined, { env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no judge has a key: nothing judged/);
    expect(existsSync(join(run, 'judge.json'))).toBe(false);
    const bad = await cli(['judge', run, '--rubrics', 'nope'], undefined, withUrls());
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--rubrics: no rubric "nope"; expected one of: latency-path, right-sized/);
  });
});

describe('promptgate judge --calibrate', () => {
  it('shows that a judge that always says pass agrees often and has kappa 0', async () => {
    emu.respond = (r) => (isJudge(r) ? { text: answer(r, 'pass') } : undefined);
    const r = await cli(['calibrate', '--judge', '--judges', 'openai:gpt-5.6-terra', '--rubrics', 'right-sized', '--store', tempDir(), '--json'], undefined, withUrls());
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout);
    expect(row).toMatchObject({ judge: 'openai:gpt-5.6-terra', rubric: 'right-sized', label: 'complexity-fit', fn: 0, tn: 0, errors: 0, kappa: 0 });
    // Every document labelled for complexity-fit; the ones labelled fail are what this judge lets through.
    const labelled = Object.values(parse(readFileSync(join(root, 'datasets/calibration/labels.yaml'), 'utf8')) as Record<string, { scenario?: string; expect: Record<string, boolean> }>).filter((l) => l.scenario && l.expect['complexity-fit'] !== undefined);
    const fails = labelled.filter((l) => !l.expect['complexity-fit']).length;
    expect(fails).toBeGreaterThanOrEqual(2);
    expect(row).toMatchObject({ n: labelled.length, tp: labelled.length - fails, fp: fails });
    expect(row.agreement).toBeCloseTo((labelled.length - fails) / labelled.length, 12);
    expect(row.disagreements).toHaveLength(fails);
  });
});
