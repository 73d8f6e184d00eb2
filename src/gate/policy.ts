// The gate's policy, resolved once at the edge: the suite's `gate:` section (or a --policy file)
// with the defaults filled in and every hard grader id checked, so that a typo in a grader id is
// an error with the file and field — never a rule that silently never fires.
//
// Defaults and why: maxDrop 0.03 (three points on the 0..1 score: smaller moves are within what
// a model's own variety produces), alpha 0.05 (one-sided: a noise-only change fails the gate at
// most one time in twenty, and less since the drop must also pass maxDrop), minSamples 3, and as
// hard graders the suite's document-level hard graders (graders.hard, else sections, word-count,
// cost-table) at 10 points each — the requirements the prompt states must hold, so a version
// that loses them fails even when the mean holds.

import { DEFAULT_POLICY, type GradePolicy } from '../../graders/grade.ts';
import { graders } from '../../graders/index.ts';
import { UsageError } from '../errors.ts';
import { readYaml, validate } from '../files.ts';
import { didYouMean } from '../suggest.ts';
import { GatePolicySchema, SuiteSchema, type GatePolicyConfig, type Suite } from '../suite/schema.ts';

export interface GatePolicy {
  maxDrop: number;
  alpha: number;
  minSamples: number;
  /** Grader id → the most its pass rate may fall, in percentage points. */
  hard: Record<string, number>;
  bootstrap: number;
  seed: number;
}

export const GATE_DEFAULTS = { maxDrop: 0.03, alpha: 0.05, minSamples: 3, hardPoints: 10, bootstrap: 10_000, seed: 1 } as const;

/** The policy from a `gate:` section; hard graders default to the suite's document-level ones. */
export function gatePolicy(config: GatePolicyConfig | undefined, gradeHard: readonly string[] = DEFAULT_POLICY.hard): GatePolicy {
  return {
    maxDrop: config?.maxDrop ?? GATE_DEFAULTS.maxDrop,
    alpha: config?.alpha ?? GATE_DEFAULTS.alpha,
    minSamples: config?.minSamples ?? GATE_DEFAULTS.minSamples,
    hard: config?.hard ?? Object.fromEntries(gradeHard.map((id) => [id, GATE_DEFAULTS.hardPoints])),
    bootstrap: config?.bootstrap ?? GATE_DEFAULTS.bootstrap,
    seed: config?.seed ?? GATE_DEFAULTS.seed,
  };
}

/** The gate policy of a suite (as eval recorded it in run.json). */
export function suiteGatePolicy(suite: Pick<Suite, 'gate' | 'graders'> | undefined, file = 'the suite'): GatePolicy {
  const policy = gatePolicy(suite?.gate, suite?.graders?.hard ?? DEFAULT_POLICY.hard);
  checkHardGraders(policy, file, suite?.gate?.hard ? '/gate/hard' : '/graders/hard');
  return policy;
}

/** The grading policy a suite's scores were computed with (as `eval` builds it). */
export function gradePolicyOf(suite: Pick<Suite, 'graders'> | undefined): GradePolicy {
  return { ...DEFAULT_POLICY, ...suite?.graders, weights: { ...DEFAULT_POLICY.weights, ...suite?.graders?.weights } };
}

/**
 * `--policy FILE`: a suite file (its `gate:` section and hard graders), a file with a `gate:`
 * section, or a bare gate policy. Hard graders not named default to `gradeHard`.
 */
export function readPolicyFile(file: string, gradeHard: readonly string[]): GatePolicy {
  const data = readYaml(file);
  const object = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  if (!object) throw new UsageError(`${file}: expected a gate policy (maxDrop, alpha, minSamples, hard) or a suite with a gate: section`);
  let policy: GatePolicy;
  if ('prompt' in object) {
    const suite = validate(SuiteSchema, object, file);
    policy = gatePolicy(suite.gate, suite.graders?.hard ?? DEFAULT_POLICY.hard);
    checkHardGraders(policy, file, suite.gate?.hard ? '/gate/hard' : '/graders/hard');
  } else if (Object.keys(object).length === 1 && 'gate' in object) {
    policy = gatePolicy(validate(GatePolicySchema, object.gate ?? {}, `${file} (gate)`), gradeHard);
    checkHardGraders(policy, file, '/gate/hard');
  } else {
    policy = gatePolicy(validate(GatePolicySchema, object, file), gradeHard);
    checkHardGraders(policy, file, '/hard');
  }
  return policy;
}

function checkHardGraders(policy: GatePolicy, file: string, pointer: string): void {
  const known = graders.map((g) => g.id);
  const unknown = Object.keys(policy.hard).find((id) => !known.includes(id));
  if (unknown) throw new UsageError(`${file}: ${pointer}/${unknown}: unknown grader "${unknown}"${didYouMean(unknown, known)}`);
}
