// The hard-grader test and the family-wise split of alpha.
//
// Hard graders pass or fail per document, and how often they fail depends a lot on the scenario
// (a scenario with no budget rarely breaks the cost table). So the test conditions on each
// scenario: a 2×2 table per scenario (baseline/candidate × pass/fail); under "no change", given
// how many documents of that scenario failed in all, the candidate's failures are
// hypergeometric. Each scenario gives a one-sided p_s (the chance of at least as many candidate
// failures); the statistic is Fisher's combination Σ −ln p_s, on a grid of 1/RESOLUTION, and its
// null distribution is exact: the convolution of each scenario's distribution of its own term.
// Why Fisher's combination rather than the total of failures (Cochran–Mantel–Haenszel): what a
// prompt change breaks, it usually breaks in a few scenarios (the ones with a budget lose the cost
// table), and a sum of failures over 16 scenarios drowns two broken ones in the others' noise; a
// combination of p-values does not. Exact, so valid with 1 sample and failure rates of a few %.
//
// Holm's step-down, weighted: a check makes several tests (per model: the mean, each hard grader)
// and must fail an unchanged prompt at most alpha of the time in all. Each test gets a share of
// alpha; tests are taken in order of p / share, the k-th compared with alpha · share / (the shares
// not yet rejected). Family-wise error ≤ alpha under any dependence between the tests.

export interface FailureTable {
  /** Documents graded on each side, and how many of them failed the grader. */
  before: number;
  beforeFailed: number;
  after: number;
  afterFailed: number;
}

/** Grid steps per unit of −ln p: fine enough to keep the statistic's order, coarse enough to convolve fast. */
const RESOLUTION = 20;

/** One-sided exact p that the candidate fails more often, stratified by scenario. */
export function stratifiedFailureTest(tables: readonly FailureTable[]): number {
  let dist: number[] = [1]; // null distribution of the statistic so far, on the integer grid
  let observed = 0;
  for (const t of tables) {
    const N = t.before + t.after;
    const K = t.beforeFailed + t.afterFailed;
    if (t.after === 0 || t.before === 0 || K === 0 || K === N) continue; // nothing can differ
    const pmf = hypergeometric(N, K, t.after);
    // term(x) = ⌊−ln P(X ≥ x) · RESOLUTION⌋, the scenario's share of the statistic.
    const term: number[] = new Array(pmf.length).fill(0);
    let tail = 0;
    for (let x = pmf.length - 1; x >= 0; x--) {
      tail += pmf[x]!;
      term[x] = Math.max(0, Math.floor(-Math.log(Math.min(1, tail)) * RESOLUTION + 1e-9));
    }
    observed += term[t.afterFailed]!;
    const next = new Array<number>(dist.length + Math.max(...term)).fill(0);
    for (let i = 0; i < dist.length; i++) if (dist[i]) for (let x = 0; x < pmf.length; x++) if (pmf[x]) next[i + term[x]!]! += dist[i]! * pmf[x]!;
    dist = next;
  }
  let p = 0;
  for (let v = observed; v < dist.length; v++) p += dist[v]!;
  return Math.min(1, p);
}

/** P(X = x) for x = 0..min(K, n): x failures among n drawn from N of which K failed. */
export function hypergeometric(N: number, K: number, n: number): number[] {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(K, n);
  // Log-space ratios P(x+1)/P(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)), normalised at the end.
  const logs: number[] = [0];
  for (let x = lo; x < hi; x++) logs.push(logs.at(-1)! + Math.log(((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1))));
  const top = Math.max(...logs);
  const w = logs.map((l) => Math.exp(l - top));
  const total = w.reduce((a, b) => a + b, 0);
  const out = new Array<number>(hi + 1).fill(0);
  w.forEach((v, i) => (out[lo + i] = v / total));
  return out;
}

export interface FamilyTest {
  p: number;
  /** Its share of alpha (any positive weights; they are normalised). */
  share: number;
}

/** Weighted Holm: which tests are rejected at family-wise level alpha. */
export function holm(tests: readonly FamilyTest[], alpha: number): boolean[] {
  const rejected = tests.map(() => false);
  let remaining = tests.reduce((s, t) => s + t.share, 0);
  const order = tests.map((_, i) => i).sort((i, j) => tests[i]!.p / tests[i]!.share - tests[j]!.p / tests[j]!.share);
  for (const i of order) {
    const t = tests[i]!;
    if (!(t.p <= (alpha * t.share) / remaining)) break;
    rejected[i] = true;
    remaining -= t.share;
  }
  return rejected;
}
