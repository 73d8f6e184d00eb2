// An independent check of the gate's statistics: every expected value below was computed by a
// separate implementation written from docs/gate.md alone, before this code was read (Python,
// exact rationals for the hypergeometric tails, full enumeration of the relabellings — every
// case is small enough to be exact, so nothing here depends on a random stream). Cases favour the
// edges: ties (including ties only up to float rounding), all-equal scores, one sample per
// scenario, a single scenario, exactly 50,000 relabellings, p exactly at its level, equal p in
// Holm, missing data at exactly 5% and just above, a scenario missing on the candidate side.
// Verdict cases are turned into a baseline and a run (syntheticRun, buildBaseline); a run plans
// every scenario of the case × the most candidate samples any scenario lists, so a shorter
// list means cells not run, and null a cell that errored.

import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { buildBaseline } from './baseline.ts';
import { holm, stratifiedFailureTest } from './exact.ts';
import { gate } from './gate.ts';
import { gatePolicy } from './policy.ts';
import { rng, shiftTest } from './stats.ts';
import { syntheticRun, type SyntheticSample } from '../../bench/gate/synthetic.ts';

// p-values of exact cases must match to rounding, not to a display precision.
const near = (got: number, want: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(1e-9);

// [name, scenarios as [reference scores, candidate scores], maxDrop, Δ, p of "no drop", non-inferiority p, relabellings]
const SHIFT: [string, [number[], number[]][], number, number, number, number, number][] = [
  ["S01 one scenario 1+1 rise", [[[0.5],[0.7]]], 0.05, 0.19999999999999996, 1.0, 0.5, 2],
  ["S02 one scenario 1+1 drop", [[[0.7],[0.5]]], 0.05, -0.19999999999999996, 0.5, 1.0, 2],
  ["S03 all-equal 3+3", [[[0.8,0.8,0.8],[0.8,0.8,0.8]]], 0.05, 0.0, 1.0, 0.05, 20],
  ["S04 all-equal 3+3 margin 0", [[[0.8,0.8,0.8],[0.8,0.8,0.8]]], 0.0, 0.0, 1.0, 1.0, 20],
  ["S05 strict drop 3+3", [[[0.9,0.8,0.7],[0.1,0.2,0.3]]], 0.05, -0.6000000000000001, 0.05, 1.0, 20],
  ["S06 binary ties 3+3", [[[0,1,1],[1,0,1]]], 0.1, 0.0, 0.8, 0.25, 20],
  ["S07 binary drop with ties", [[[1,1,1],[0,1,1]]], 0.1, -0.33333333333333337, 0.5, 0.55, 20],
  ["S08 unequal sizes 2+3", [[[0.6,0.9],[0.5,0.4,0.8]]], 0.05, -0.18333333333333324, 0.2, 0.9, 10],
  ["S09 1 ref + 4 cand", [[[0.9],[0.2,0.3,0.4,0.95]]], 0.05, -0.4375, 0.4, 0.8, 5],
  ["S10 4 ref + 1 cand", [[[0.2,0.3,0.4,0.95],[0.9]]], 0.05, 0.4375, 0.8, 0.4, 5],
  ["S11 float tie 0.1+0.2 vs 0.3", [[[0.1,0.2],[0.3,0.0]]], 0.05, -2.7755575615628914e-17, 0.6666666666666666, 0.5, 6],
  ["S12 float ties across scenarios", [[[0.1,0.7],[0.3,0.5]],[[0.3],[0.1]],[[0.6,0.2],[0.2,0.6]]], 0.1, -0.06666666666666664, 0.4305555555555556, 0.4583333333333333, 72],
  ["S13 six scenarios 1+1", [[[0.5],[0.6]],[[0.7],[0.4]],[[0.2],[0.2]],[[0.9],[0.85]],[[0.3],[0.35]],[[1.0],[0.6]]], 0.05, -0.10000000000000002, 0.21875, 0.75, 64],
  ["S14 4 scenarios 2+2 identical sides", [[[0.8,0.82],[0.8,0.82]],[[0.5,0.55],[0.5,0.55]],[[0.9,0.91],[0.9,0.91]],[[0.7,0.72],[0.7,0.72]]], 0.05, 0.0, 0.6118827160493827, 0.0015432098765432098, 1296],
  ["S15 5 scenarios 2+2 small drop", [[[0.8,0.82],[0.78,0.8]],[[0.5,0.55],[0.45,0.5]],[[0.9,0.91],[0.88,0.9]],[[0.7,0.72],[0.7,0.69]],[[0.6,0.62],[0.61,0.58]]], 0.05, -0.02300000000000002, 0.006172839506172839, 0.006687242798353909, 7776],
  ["S16 6 scenarios 2+2 big drop (46656)", [[[0.9,0.95],[0.3,0.35]],[[0.9,0.95],[0.3,0.35]],[[0.9,0.95],[0.3,0.35]],[[0.9,0.95],[0.3,0.35]],[[0.9,0.95],[0.3,0.35]],[[0.9,0.95],[0.3,0.35]]], 0.05, -0.6000000000000001, 2.143347050754458e-05, 1.0, 46656],
  ["S17 exactly 50000 relabellings", [[[0.9],[0.5,0.6,0.7,0.8]],[[0.9],[0.5,0.6,0.7,0.8]],[[0.9],[0.5,0.6,0.7,0.8]],[[0.9],[0.5,0.6,0.7,0.8]],[[0.9],[0.5,0.6,0.7,0.8]],[[0.6],[0.4]],[[0.6],[0.4]],[[0.6],[0.4]],[[0.6],[0.4]]], 0.05, -0.22777777777777775, 2e-05, 1.0, 50000],
  ["S18 large margin", [[[0.8,0.7],[0.75,0.7]],[[0.6,0.65],[0.6,0.6]],[[0.9,0.8],[0.85,0.8]]], 0.5, -0.02500000000000006, 0.25, 0.004629629629629629, 216],
  ["S19 rise clearly", [[[0.2,0.3],[0.8,0.9]],[[0.1,0.2],[0.7,0.9]],[[0.3,0.3],[0.9,0.95]]], 0.05, 0.625, 1.0, 0.004629629629629629, 216],
  ["S20 scores 0..100 scale", [[[80,85],[70,75]],[[60,65],[50,55]],[[90,95],[90,95]]], 5, -6.666666666666667, 0.032407407407407406, 0.8518518518518519, 216],
  ["S21 two scenarios equal ties one drop", [[[0.6,0.6,0.6],[0.6,0.6,0.6]],[[0.9],[0.1]]], 0.05, -0.4, 0.5, 0.525, 40],
];

describe('shiftTest against independently computed exact values', () => {
  it.each(SHIFT)('%s', (_, strata, margin, delta, pNoDrop, pNonInferior, count) => {
    const t = shiftTest(strata.map(([before, after]) => ({ before, after })), 10_000, rng(1));
    expect(t.exact).toBe(true);
    expect(t.count).toBe(count);
    near(t.diff, delta);
    near(t.pBelow(0), pNoDrop);
    near(t.pAbove(-margin), pNonInferior);
  });
});

// [name, tables as [reference passed, reference failed, candidate passed, candidate failed], p]
const HARD: [string, [number, number, number, number][], number][] = [
  ["H01 no tables", [], 1.0],
  ["H02 every document passed", [[3,0,3,0],[2,0,5,0]], 1.0],
  ["H03 every document failed", [[0,3,0,3]], 1.0],
  ["H04 single table 5/0 vs 0/5", [[5,0,0,5]], 0.003968253968253968],
  ["H05 four tables 2/0 vs 0/2", [[2,0,0,2],[2,0,0,2],[2,0,0,2],[2,0,0,2]], 0.0007716049382716049],
  ["H06 candidate better", [[0,3,3,0],[1,2,3,0]], 1.0],
  ["H07 mixed with left-out tables", [[3,0,3,0],[3,1,1,3],[0,2,0,2],[4,0,2,2]], 0.06326530612244897],
  ["H08 unequal sizes", [[9,1,1,2],[5,0,2,1],[1,1,0,3]], 0.019230769230769232],
  ["H09 six tables one failure each on candidate", [[3,0,2,1],[3,0,2,1],[3,0,2,1],[3,0,2,1],[3,0,2,1],[3,0,2,1]], 0.015625],
  ["H10 single failure on reference only", [[2,1,3,0]], 1.0],
  ["H11 one failure candidate 1+1", [[1,0,0,1]], 0.5],
  ["H12 many tables 1+1", [[1,0,0,1],[1,0,0,1],[1,0,0,1],[1,0,0,1],[1,0,0,1],[0,1,1,0],[0,1,1,0],[1,0,1,0],[1,0,1,0],[1,0,1,0]], 0.2265625],
  ["H13 grid collisions", [[10,2,8,4],[7,3,5,5],[6,6,4,8]], 0.1616439913389174],
];

describe('stratifiedFailureTest against exact rational convolutions', () => {
  it.each(HARD)('%s', (_, tables, p) => {
    near(stratifiedFailureTest(tables.map(([rp, rf, cp, cf]) => ({ before: rp + rf, beforeFailed: rf, after: cp + cf, afterFailed: cf }))), p);
  });
});

// [name, alpha, tests as [p, share], rejected]
const HOLM: [string, number, [number, number][], boolean[]][] = [
  ["W01 single test p exactly alpha", 0.05, [[0.05,1.0]], [true]],
  ["W02 single test just above", 0.05, [[0.0500001,1.0]], [false]],
  ["W03 equal p equal shares, both at level/2", 0.05, [[0.025,0.5],[0.025,0.5]], [true,true]],
  ["W04 equal p just above first level", 0.05, [[0.03,0.5],[0.03,0.5]], [false,false]],
  ["W05 step-down releases the second", 0.05, [[0.001,0.5],[0.04,0.5]], [true,true]],
  ["W06 order by p/share not p", 0.05, [[0.012,0.25],[0.011,0.125],[0.02,0.625]], [true,true,true]],
  ["W07 stop at first non-rejection", 0.05, [[0.001,0.25],[0.3,0.25],[0.0125,0.5]], [true,false,true]],
  ["W08 stop blocks a later small-looking p", 0.05, [[0.02,0.5],[0.0124,0.125],[0.0001,0.375]], [true,true,true]],
  ["W09 chain to the end at exact levels", 0.05, [[0.025,0.5],[0.025,0.25],[0.05,0.25]], [true,true,true]],
  ["W10 thirds at the level", 0.05, [[0.016666666666666666,0.3333333333333333],[0.016666666666666666,0.3333333333333333],[0.016666666666666666,0.3333333333333333]], [true,true,true]],
  ["W11 all large", 0.05, [[0.5,0.5],[0.9,0.25],[1.0,0.25]], [false,false,false]],
  ["W12 equal p/share different p", 0.1, [[0.02,0.2],[0.08,0.8]], [true,true]],
];

describe('weighted Holm', () => {
  it.each(HOLM)('%s', (_, alpha, tests, rejected) => {
    expect(holm(tests.map(([p, share]) => ({ p, share })), alpha)).toEqual(rejected);
  });
});

// A sample: a score (passed, no grader verdicts), [score, pass, {grader: pass}], or null (errored).
type Sample = number | [number, boolean, Record<string, boolean>] | null;
interface Case {
  o: Record<string, unknown>;
  m: Record<string, Record<string, { r: Sample[]; c: Sample[] }>>;
}

// The options the labels were computed with when a case does not set them.
const DEFAULTS = { alpha: 0.05, maxDrop: 0.05, minSamples: 2, minScenarios: 4, maxMissing: 0.05, meanShare: 0.5, hard: {} };

function runs(c: Case) {
  const scenarios = [...new Set(Object.values(c.m).flatMap((m) => Object.keys(m)))].sort();
  const side = (which: 'r' | 'c') => {
    const models: Record<string, SyntheticSample[]> = {};
    const errored = new Set<string>();
    let most = 0;
    for (const [model, byScenario] of Object.entries(c.m)) {
      models[model] = [];
      for (const s of scenarios) {
        const xs = byScenario[s]?.[which] ?? [];
        most = Math.max(most, xs.length);
        xs.forEach((x, sample) => {
          if (x === null) errored.add(`${model}|${s}|${sample}`);
          const [score, pass, graders] = typeof x === 'number' ? [x, true, {}] : (x ?? [0, false, {}]);
          const grades = Object.fromEntries(Object.entries(graders).map(([g, ok]) => [g, { pass: ok, score: ok ? 1 : 0, reason: 'case' }]));
          models[model]!.push({ scenario: s, sample, score, pass, grades });
        });
      }
    }
    return { models, errored, most };
  };
  const ref = side('r');
  const baseline = buildBaseline(syntheticRun({ runId: 'ref', version: '1.1.0', scenarios, samplesPerCell: ref.most, models: ref.models }), '1.1.0', DEFAULT_POLICY);
  const cand = side('c');
  const run = syntheticRun({ runId: 'cand', version: '1.2.0', scenarios, samplesPerCell: cand.most, models: cand.models });
  for (const cell of run.cells) {
    if (cand.errored.has(`${cell.model}|${cell.scenario}|${cell.sample}`)) Object.assign(cell, { status: 'error', error: 'case: not graded', score: null, pass: null, grades: {} });
  }
  return { run, baseline, policy: { ...gatePolicy(undefined, []), ...DEFAULTS, ...c.o } as ReturnType<typeof gatePolicy> };
}

// [name, case, the check's status, per model: [status, hard graders with a warning]]
const GATE: [string, Case, string, Record<string, [string, string[]]>][] = [
  ["V01 unchanged constant scores PASS", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "pass", {"m":["pass",[]]}],
  ["V02 unchanged maxDrop 0 INCONCLUSIVE", {o:{"maxDrop":0},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "inconclusive", {"m":["inconclusive",[]]}],
  ["V03 big drop six scenarios FAIL", {o:{},m:{"m":{"s0":{r:[0.9,0.95],c:[0.3,0.35]},"s1":{r:[0.9,0.95],c:[0.3,0.35]},"s2":{r:[0.9,0.95],c:[0.3,0.35]},"s3":{r:[0.9,0.95],c:[0.3,0.35]},"s4":{r:[0.9,0.95],c:[0.3,0.35]},"s5":{r:[0.9,0.95],c:[0.3,0.35]}}}}, "fail", {"m":["fail",[]]}],
  ["V04 drop on 3 scenarios FAIL beats INCOMPLETE", {o:{},m:{"m":{"s0":{r:[0.9,0.95],c:[0.3,0.35]},"s1":{r:[0.9,0.95],c:[0.3,0.35]},"s2":{r:[0.9,0.95],c:[0.3,0.35]}}}}, "fail", {"m":["fail",[]]}],
  ["V05 three flat scenarios INCOMPLETE", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V06 minScenarios 3 with 3 flat PASS", {o:{"minScenarios":3},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "pass", {"m":["pass",[]]}],
  ["V07 missing exactly 5% (1 of 20) PASS", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.8],c:[0.8,0.8]},"s1":{r:[0.8],c:[0.8,0.8]},"s2":{r:[0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,null]},"s4":{r:[0.8],c:[0.8,0.8]},"s5":{r:[0.8],c:[0.8,0.8]},"s6":{r:[0.8],c:[0.8,0.8]},"s7":{r:[0.8],c:[0.8,0.8]},"s8":{r:[0.8],c:[0.8,0.8]},"s9":{r:[0.8],c:[0.8,0.8]}}}}, "pass", {"m":["pass",[]]}],
  ["V08 missing just above 5% (1 of 19) INCOMPLETE", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.8],c:[0.8,0.8]},"s1":{r:[0.8],c:[0.8,0.8]},"s2":{r:[0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,null]},"s4":{r:[0.8],c:[0.8,0.8]},"s5":{r:[0.8],c:[0.8,0.8]},"s6":{r:[0.8],c:[0.8,0.8]},"s7":{r:[0.8],c:[0.8,0.8]},"s8":{r:[0.8],c:[0.8,0.8]},"s9":{r:[0.8],c:[0.8]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V09 missing 2 of 20 INCOMPLETE", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.8],c:[0.8,0.8]},"s1":{r:[0.8],c:[0.8,0.8]},"s2":{r:[0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,null]},"s4":{r:[0.8],c:[0.8,0.8]},"s5":{r:[0.8],c:[0.8,null]},"s6":{r:[0.8],c:[0.8,0.8]},"s7":{r:[0.8],c:[0.8,0.8]},"s8":{r:[0.8],c:[0.8,0.8]},"s9":{r:[0.8],c:[0.8,0.8]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V10 maxMissing 0.1 with 2 of 20 PASS", {o:{"minSamples":1,"maxMissing":0.1},m:{"m":{"s0":{r:[0.8],c:[0.8,0.8]},"s1":{r:[0.8],c:[0.8,0.8]},"s2":{r:[0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,null]},"s4":{r:[0.8],c:[0.8,0.8]},"s5":{r:[0.8],c:[0.8,null]},"s6":{r:[0.8],c:[0.8,0.8]},"s7":{r:[0.8],c:[0.8,0.8]},"s8":{r:[0.8],c:[0.8,0.8]},"s9":{r:[0.8],c:[0.8,0.8]}}}}, "pass", {"m":["pass",[]]}],
  ["V11 scenario with no graded candidate (errored) INCOMPLETE", {o:{"maxMissing":0.5},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]},"s4":{r:[0.8,0.8],c:[null,null]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V12 scenario absent on the candidate side INCOMPLETE", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]},"s4":{r:[0.8,0.8],c:[]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V13 candidate-only scenario is ignored PASS", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]},"s4":{r:[],c:[0.1,0.1]}}}}, "pass", {"m":["pass",[]]}],
  ["V14 no graded output INCOMPLETE", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[null,null]},"s1":{r:[0.8,0.8],c:[null,null]},"s2":{r:[0.8,0.8],c:[null,null]},"s3":{r:[0.8,0.8],c:[null,null]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V15 reference below minSamples: not compared -> 3 compared INCOMPLETE", {o:{},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,0.8]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V16 one candidate graded (minSamples 2) and the other missing", {o:{"maxMissing":0.2},m:{"m":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]},"s4":{r:[0.8,0.8],c:[0.8,null]}}}}, "pass", {"m":["pass",[]]}],
  ["V17 one scenario p exactly alpha FAIL", {o:{"minScenarios":1},m:{"m":{"a":{r:[0.9,0.8,0.7],c:[0.1,0.2,0.3]}}}}, "fail", {"m":["fail",[]]}],
  ["V18 one scenario p = 2/20 not FAIL", {o:{"minScenarios":1},m:{"m":{"a":{r:[0.9,0.8,0.3],c:[0.1,0.2,0.3]}}}}, "inconclusive", {"m":["inconclusive",[]]}],
  ["V19 pNonInferior exactly alpha PASS", {o:{"minScenarios":1},m:{"m":{"a":{r:[0.8,0.8,0.8],c:[0.8,0.8,0.8]}}}}, "pass", {"m":["pass",[]]}],
  ["V20 one sample per scenario, six scenarios", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]},"s4":{r:[0.7],c:[0.7]},"s5":{r:[0.7],c:[0.7]}}}}, "pass", {"m":["pass",[]]}],
  ["V21 one sample per scenario, four scenarios", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}}}}, "inconclusive", {"m":["inconclusive",[]]}],
  ["V22 one sample per scenario, five scenarios drop", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.9],c:[0.2]},"s1":{r:[0.9],c:[0.2]},"s2":{r:[0.9],c:[0.2]},"s3":{r:[0.9],c:[0.2]},"s4":{r:[0.9],c:[0.2]}}}}, "fail", {"m":["fail",[]]}],
  ["V23 hard fall 100 > 10 significant FAIL", {o:{"hard":{"fmt":10}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]}}}}, "fail", {"m":["fail",[]]}],
  ["V24 hard significant but fall 100 == allowance 100: no FAIL, mean PASS", {o:{"hard":{"fmt":100}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]}}}}, "pass", {"m":["pass",[]]}],
  ["V25 hard fall 50 > 10 not significant: warning", {o:{"hard":{"fmt":10}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]}}}}, "pass", {"m":["pass",["fmt"]]}],
  ["V26 hard fall exactly allowance 50 no warning", {o:{"hard":{"fmt":50}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]}}}}, "pass", {"m":["pass",[]]}],
  ["V27 hard all passed everywhere", {o:{"hard":{"fmt":0}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]}}}}, "pass", {"m":["pass",[]]}],
  ["V28 hard all failed everywhere", {o:{"hard":{"fmt":0}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]]}}}}, "pass", {"m":["pass",[]]}],
  ["V29 candidate better on hard: negative fall", {o:{"hard":{"fmt":0}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s1":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s2":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]},"s3":{r:[[0.8,true,{"fmt":false}],[0.8,true,{"fmt":false}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]]}}}}, "pass", {"m":["pass",[]]}],
  ["V30 two hard graders: one fails, one warns", {o:{"hard":{"a":10,"b":10}},m:{"m":{"s0":{r:[[0.8,true,{"a":true,"b":true}],[0.8,true,{"a":true,"b":true}]],c:[[0.8,true,{"a":false,"b":true}],[0.8,true,{"a":false,"b":false}]]},"s1":{r:[[0.8,true,{"a":true,"b":true}],[0.8,true,{"a":true,"b":true}]],c:[[0.8,true,{"a":false,"b":true}],[0.8,true,{"a":false,"b":false}]]},"s2":{r:[[0.8,true,{"a":true,"b":true}],[0.8,true,{"a":true,"b":true}]],c:[[0.8,true,{"a":false,"b":true}],[0.8,true,{"a":false,"b":false}]]},"s3":{r:[[0.8,true,{"a":true,"b":true}],[0.8,true,{"a":true,"b":true}]],c:[[0.8,true,{"a":false,"b":true}],[0.8,true,{"a":false,"b":false}]]}}}}, "fail", {"m":["fail",["b"]]}],
  ["V31 hard p between shares: 5 scenarios one fail each", {o:{"hard":{"fmt":5}},m:{"m":{"s0":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s1":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s2":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s3":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]},"s4":{r:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.8,true,{"fmt":true}],[0.8,true,{"fmt":false}]]}}}}, "pass", {"m":["pass",["fmt"]]}],
  ["V32 Holm: hard rejected within allowance lets the mean at 0.05 through", {o:{"minSamples":1,"hard":{"fmt":100}},m:{"m":{"s0":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}],[0.7,true,{"fmt":true}]],c:[[0.1,true,{"fmt":false}],[0.2,true,{"fmt":false}],[0.3,true,{"fmt":false}]]},"s1":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]},"s2":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":false}]]},"s3":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":false}]]},"s4":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":false}]]},"s5":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":false}]]}}}}, "fail", {"m":["fail",[]]}],
  ["V33 same without hard graders", {o:{"minSamples":1},m:{"m":{"s0":{r:[0.9,0.8,0.7],c:[0.1,0.2,0.3]},"s1":{r:[0.5],c:[0.5]},"s2":{r:[0.5],c:[0.5]},"s3":{r:[0.5],c:[0.5]},"s4":{r:[0.5],c:[0.5]},"s5":{r:[0.5],c:[0.5]}}}}, "fail", {"m":["fail",[]]}],
  ["V34 model B alone p=1/36 FAIL", {o:{"minSamples":1},m:{"B":{"a":{r:[0.9,0.8],c:[0.1,0.2]},"b":{r:[0.9,0.8],c:[0.1,0.2]},"c":{r:[0.5],c:[0.5]},"d":{r:[0.5],c:[0.5]}}}}, "fail", {"B":["fail",[]]}],
  ["V35 two models, A unchanged: B at 1/36 > 0.025 not rejected", {o:{"minSamples":1},m:{"A":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"B":{"a":{r:[0.9,0.8],c:[0.1,0.2]},"b":{r:[0.9,0.8],c:[0.1,0.2]},"c":{r:[0.5],c:[0.5]},"d":{r:[0.5],c:[0.5]}}}}, "incomplete", {"A":["incomplete",[]],"B":["incomplete",[]]}],
  ["V36 two models, A drops: Holm step-down rejects B too", {o:{"minSamples":1},m:{"A":{"s0":{r:[0.9,0.95],c:[0.3,0.35]},"s1":{r:[0.9,0.95],c:[0.3,0.35]},"s2":{r:[0.9,0.95],c:[0.3,0.35]},"s3":{r:[0.9,0.95],c:[0.3,0.35]},"s4":{r:[0.9,0.95],c:[0.3,0.35]},"s5":{r:[0.9,0.95],c:[0.3,0.35]}},"B":{"a":{r:[0.9,0.8],c:[0.1,0.2]},"b":{r:[0.9,0.8],c:[0.1,0.2]},"c":{r:[0.5],c:[0.5]},"d":{r:[0.5],c:[0.5]}}}}, "fail", {"A":["fail",[]],"B":["fail",[]]}],
  ["V37 three models PASS/INCONCLUSIVE/INCOMPLETE -> INCOMPLETE", {o:{"minSamples":1},m:{"p":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"i":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}},"c":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "incomplete", {"p":["pass",[]],"i":["incomplete",[]],"c":["incomplete",[]]}],
  ["V38 two models PASS + INCONCLUSIVE -> INCONCLUSIVE", {o:{"minSamples":1},m:{"p":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"i":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}}}}, "incomplete", {"p":["pass",[]],"i":["incomplete",[]]}],
  ["V39 alpha 0.1 makes 1/16 PASS", {o:{"minSamples":1,"alpha":0.1},m:{"m":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}}}}, "pass", {"m":["pass",[]]}],
  ["V40 meanShare 0.8 with a hard grader: mean p 1/36 ... single model", {o:{"minSamples":1,"meanShare":0.8,"hard":{"fmt":100}},m:{"m":{"a":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"b":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"c":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]},"d":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]}}}}, "fail", {"m":["fail",[]]}],
  ["V41 meanShare 0.5 same data: not FAIL", {o:{"minSamples":1,"meanShare":0.5,"hard":{"fmt":100}},m:{"m":{"a":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"b":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"c":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]},"d":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]}}}}, "incomplete", {"m":["incomplete",[]]}],
  ["V42 ties everywhere within scenario, small rise, PASS", {o:{},m:{"m":{"s0":{r:[0.6,0.6,0.7],c:[0.7,0.7]},"s1":{r:[0.6,0.6,0.7],c:[0.7,0.7]},"s2":{r:[0.6,0.6,0.7],c:[0.7,0.7]},"s3":{r:[0.6,0.6,0.7],c:[0.7,0.7]}}}}, "pass", {"m":["pass",[]]}],
  ["V43 mixed small noise 5 scenarios", {o:{},m:{"m":{"a":{r:[0.8,0.82],c:[0.78,0.8]},"b":{r:[0.5,0.55],c:[0.45,0.5]},"c":{r:[0.9,0.91],c:[0.88,0.9]},"d":{r:[0.7,0.72],c:[0.7,0.69]},"e":{r:[0.6,0.62],c:[0.61,0.58]}}}}, "fail", {"m":["fail",[]]}],
  ["V44 FAIL from mean plus a hard warning", {o:{"hard":{"fmt":10}},m:{"m":{"s0":{r:[[0.9,true,{"fmt":true}],[0.9,true,{"fmt":true}]],c:[[0.2,true,{"fmt":true}],[0.2,true,{"fmt":false}]]},"s1":{r:[[0.9,true,{"fmt":true}],[0.9,true,{"fmt":true}]],c:[[0.2,true,{"fmt":true}],[0.2,true,{"fmt":false}]]},"s2":{r:[[0.9,true,{"fmt":true}],[0.9,true,{"fmt":true}]],c:[[0.2,true,{"fmt":true}],[0.2,true,{"fmt":false}]]},"s3":{r:[[0.9,true,{"fmt":true}],[0.9,true,{"fmt":true}]],c:[[0.2,true,{"fmt":true}],[0.2,true,{"fmt":false}]]}}}}, "fail", {"m":["fail",["fmt"]]}],
  ["V45 missing scenario but mean drop: FAIL wins", {o:{},m:{"m":{"s0":{r:[0.9,0.95],c:[0.3,0.35]},"s1":{r:[0.9,0.95],c:[0.3,0.35]},"s2":{r:[0.9,0.95],c:[0.3,0.35]},"s3":{r:[0.9,0.95],c:[0.3,0.35]},"s4":{r:[0.9,0.95],c:[0.3,0.35]},"s5":{r:[0.9,0.95],c:[0.3,0.35]},"s9":{r:[0.9,0.9],c:[null,null]}}}}, "fail", {"m":["fail",[]]}],
  ["V35b two models, A unchanged: B at 1/36 > 0.025 not rejected (complete)", {o:{"minSamples":1,"maxMissing":0.7},m:{"A":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"B":{"a":{r:[0.9,0.8],c:[0.1,0.2]},"b":{r:[0.9,0.8],c:[0.1,0.2]},"c":{r:[0.5],c:[0.5]},"d":{r:[0.5],c:[0.5]}}}}, "inconclusive", {"A":["pass",[]],"B":["inconclusive",[]]}],
  ["V37b three models PASS/INCONCLUSIVE/INCOMPLETE (complete data)", {o:{"minSamples":1,"maxMissing":0.5},m:{"p":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"i":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}},"c":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]}}}}, "incomplete", {"p":["pass",[]],"i":["inconclusive",[]],"c":["incomplete",[]]}],
  ["V38b two models PASS + INCONCLUSIVE (complete data)", {o:{"minSamples":1,"maxMissing":0.5},m:{"p":{"s0":{r:[0.8,0.8],c:[0.8,0.8]},"s1":{r:[0.8,0.8],c:[0.8,0.8]},"s2":{r:[0.8,0.8],c:[0.8,0.8]},"s3":{r:[0.8,0.8],c:[0.8,0.8]}},"i":{"s0":{r:[0.7],c:[0.7]},"s1":{r:[0.7],c:[0.7]},"s2":{r:[0.7],c:[0.7]},"s3":{r:[0.7],c:[0.7]}}}}, "inconclusive", {"p":["pass",[]],"i":["inconclusive",[]]}],
  ["V41b meanShare 0.5 same data: not FAIL (complete data)", {o:{"minSamples":1,"meanShare":0.5,"hard":{"fmt":100},"maxMissing":0.5},m:{"m":{"a":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"b":{r:[[0.9,true,{"fmt":true}],[0.8,true,{"fmt":true}]],c:[[0.1,true,{"fmt":true}],[0.2,true,{"fmt":true}]]},"c":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]},"d":{r:[[0.5,true,{"fmt":true}]],c:[[0.5,true,{"fmt":true}]]}}}}, "inconclusive", {"m":["inconclusive",[]]}],
  // V46 was the one disagreement: the doc said "1/models of alpha", the code spreads the shares
  // over the tests that exist. The code's rule is sound (which tests exist depends on missing
  // data, not on scores) and docs/gate.md now states it; the label follows the corrected doc.
  ["V46 two models, A graded but nothing compared: B gets the whole family", {o:{"minSamples":2,"minScenarios":2,"maxMissing":0.7},m:{"A":{"s0":{r:[0.8],c:[0.8,0.8]},"s1":{r:[0.8],c:[0.8,0.8]},"s2":{r:[0.8],c:[0.8,0.8]},"s3":{r:[0.8],c:[0.8,0.8]}},"B":{"a":{r:[0.9,0.8],c:[0.1,0.2]},"b":{r:[0.9,0.8],c:[0.1,0.2]}}}}, "fail", {"A":["incomplete",[]],"B":["fail",[]]}],
  ["V08c missing just above 5% at the default: 1 of 19 cells", {o:{"minSamples":1},m:{"m":{"s00":{r:[0.8],c:[0.8]},"s01":{r:[0.8],c:[0.8]},"s02":{r:[0.8],c:[0.8]},"s03":{r:[0.8],c:[0.8]},"s04":{r:[0.8],c:[0.8]},"s05":{r:[0.8],c:[0.8]},"s06":{r:[0.8],c:[0.8]},"s07":{r:[0.8],c:[0.8]},"s08":{r:[0.8],c:[0.8]},"s09":{r:[0.8],c:[0.8]},"s10":{r:[0.8],c:[0.8]},"s11":{r:[0.8],c:[0.8]},"s12":{r:[0.8],c:[0.8]},"s13":{r:[0.8],c:[0.8]},"s14":{r:[0.8],c:[0.8]},"s15":{r:[0.8],c:[0.8]},"s16":{r:[0.8],c:[0.8]},"s17":{r:[0.8],c:[0.8]},"s18":{r:[0.8],c:[null]}}}}, "incomplete", {"m":["incomplete",[]]}],
];

describe('gate verdicts against the documented rule', () => {
  it.each(GATE)('%s', (_, c, status, models) => {
    const { run, baseline, policy } = runs(c);
    const v = gate(run, baseline, policy);
    expect(v.status).toBe(status);
    const got = Object.fromEntries(v.models.map((m) => [m.model.replace(/^anthropic:/, ''), [m.status, m.graders.filter((g) => g.status === 'warn').map((g) => g.grader).sort()]]));
    // With no graded output at all the check is incomplete as a whole, with no model rows.
    const nothingGraded = Object.values(c.m).every((m) => Object.values(m).every((s) => s.c.every((x) => x === null)));
    if (nothingGraded) expect(v.models).toEqual([]);
    else expect(got).toEqual(models);
  });
});
