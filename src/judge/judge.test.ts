// The judge's pieces that need no model: reading an answer (JSON, schema, quotes that must be in
// the document), the agreement statistics, and which judge a document gets.

import { describe, expect, it } from 'vitest';
import { agreement } from './agreement.ts';
import { readAnswer } from './answer.ts';
import { pickJudge } from './judge.ts';
import { loadRubrics } from './rubric.ts';

const DOC = '# Design\n\nWe run **Kafka** on three brokers.\n\n| Item | Cost |\n|---|---|\n| MSK | $1,200 |\n';
const ok = { verdict: 'fail', score: 0.2, quotes: ['We run Kafka on three brokers.'], reason: 'Three brokers for a team of two.' };

describe('readAnswer', () => {
  it('takes the JSON object out of a fence or a sentence', () => {
    expect(readAnswer(`Here you go:\n\`\`\`json\n${JSON.stringify(ok)}\n\`\`\``, DOC)).toEqual({ answer: ok });
  });

  it('accepts a quote that differs only in markdown emphasis and spacing', () => {
    const r = readAnswer(JSON.stringify({ ...ok, quotes: ['We run  **Kafka** on three brokers.'] }), DOC);
    expect('answer' in r).toBe(true);
  });

  it.each([
    ['no object', 'I think it fails.', /no JSON object/],
    ['broken JSON', '{"verdict": "pass", }', /not JSON/],
    ['a verdict outside the two', JSON.stringify({ ...ok, verdict: 'maybe' }), /\/verdict/],
    ['a score above 1', JSON.stringify({ ...ok, score: 1.5 }), /\/score/],
    ['no quotes', JSON.stringify({ ...ok, quotes: [] }), /\/quotes/],
    ['an extra field', JSON.stringify({ ...ok, confidence: 0.9 }), /additional/],
    ['an invented quote', JSON.stringify({ ...ok, quotes: ['We run Pulsar on nine brokers.'] }), /does not contain/],
  ])('refuses %s', (_name, text, problem) => {
    const r = readAnswer(text, DOC);
    expect('problem' in r && r.problem).toMatch(problem);
  });
});

describe('agreement', () => {
  it('gives kappa 1 for a perfect judge and 0 for one that always says pass', () => {
    const labels = [true, true, true, false, false, true, false, true];
    expect(agreement(labels.map((label) => ({ label, verdict: label ? 'pass' : 'fail' })))).toMatchObject({ agreement: 1, kappa: 1, tp: 5, tn: 3 });
    const lenient = agreement(labels.map((label) => ({ label, verdict: 'pass' as const })));
    expect(lenient).toMatchObject({ agreement: 5 / 8, kappa: 0, tp: 5, fp: 3, fn: 0, tn: 0 });
  });

  it('matches a kappa worked by hand and keeps errors out of it', () => {
    // 20 cases: tp 8, fn 2, fp 3, tn 7 → po 0.75, pe (11·10 + 9·10)/400 = 0.5, κ = 0.5
    const pairs = [
      ...Array(8).fill({ label: true, verdict: 'pass' }),
      ...Array(2).fill({ label: true, verdict: 'fail' }),
      ...Array(3).fill({ label: false, verdict: 'pass' }),
      ...Array(7).fill({ label: false, verdict: 'fail' }),
      { label: true, verdict: null },
    ];
    const a = agreement(pairs);
    expect(a.n).toBe(20);
    expect(a.errors).toBe(1);
    expect(a.agreement).toBeCloseTo(0.75, 12);
    expect(a.kappa).toBeCloseTo(0.5, 12);
  });

  it('says kappa is undefined when both sides always agree on one answer, and nothing for no cases', () => {
    expect(agreement([{ label: true, verdict: 'pass' }, { label: true, verdict: 'pass' }]).kappa).toBeNull();
    expect(agreement([])).toMatchObject({ n: 0, agreement: null, kappa: null });
  });
});

describe('pickJudge', () => {
  const judges = [
    { provider: 'anthropic' as const, model: 'claude-sonnet-5-5' },
    { provider: 'openai' as const, model: 'gpt-5.6-terra' },
  ];
  it('gives a document to a judge of the other family', () => {
    expect(pickJudge('openai', judges).model).toBe('claude-sonnet-5-5');
    expect(pickJudge('anthropic', judges).model).toBe('gpt-5.6-terra');
    expect(pickJudge('openai-compatible', judges).model).toBe('claude-sonnet-5-5');
  });
  it('falls back to the first judge when the suite names one family only', () => {
    expect(pickJudge('anthropic', [judges[0]!]).model).toBe('claude-sonnet-5-5');
  });
});

describe('the shipped rubrics', () => {
  it('load, and each names a question, pass and fail', () => {
    const rubrics = loadRubrics('judges');
    expect(rubrics.map((r) => r.id)).toEqual(['latency-path', 'right-sized']);
    for (const r of rubrics) expect(r.question.length + r.pass.length + r.fail.length).toBeGreaterThan(200);
  });
});
