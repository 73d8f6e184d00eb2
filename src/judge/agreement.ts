// How far a judge can be trusted on a criterion: its verdicts against the calibration labels, as
// raw agreement, Cohen's kappa (agreement beyond what the two sides' base rates give by chance:
// a judge that always says "pass" on a set that is mostly passes agrees often and has κ = 0) and
// the confusion matrix. Judgements without a verdict are counted apart, never as agreement.

export interface Confusion {
  /** Label pass, judge pass. */
  tp: number;
  /** Label fail, judge pass: what a lenient judge lets through. */
  fp: number;
  /** Label pass, judge fail. */
  fn: number;
  tn: number;
  /** No verdict (malformed twice, refused, an API error). */
  errors: number;
}

export interface Agreement extends Confusion {
  n: number;
  agreement: number | null;
  /** null when chance agreement is 1 (both sides said the same thing every time): κ is undefined. */
  kappa: number | null;
}

export function agreement(pairs: ReadonlyArray<{ label: boolean; verdict: 'pass' | 'fail' | null }>): Agreement {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0, errors: 0 };
  for (const { label, verdict } of pairs) {
    if (verdict === null) c.errors++;
    else if (label) verdict === 'pass' ? c.tp++ : c.fn++;
    else verdict === 'pass' ? c.fp++ : c.tn++;
  }
  const n = c.tp + c.fp + c.fn + c.tn;
  if (n === 0) return { ...c, n, agreement: null, kappa: null };
  const po = (c.tp + c.tn) / n;
  const pe = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n);
  return { ...c, n, agreement: po, kappa: pe === 1 ? null : (po - pe) / (1 - pe) };
}
