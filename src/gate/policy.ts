// The gate's policy, resolved once at the edge: the suite's `gate:` section (or a --policy file)
// with the defaults filled in and every hard grader id checked, so that a typo in a grader id is
// an error with the file and field — never a rule that silently never fires.
//
// Defaults and why (measured by `npm run bench:gate`; README "CI gate"):
// - alpha 0.05 family-wise per check: an unchanged prompt fails one check in twenty at most,
//   however many models and hard graders the check tests.
// - meanShare 0.5: half of each model's alpha for the mean test (what most regressions move),
//   the other half split over its hard graders.
// - maxDrop 0.05: the drop a nightly design (16 scenarios × 5 samples against a baseline of 10)
//   detects 80% of the time; the PR suite sets its own (its smaller design only sees 0.10).
// - hard graders: the suite's document-level hard graders, 5 points each. The allowance is
//   small because it no longer has to absorb noise — the exact test does that.
// - minScenarios 4, minSamples 1, maxMissing 0.05: below these the check cannot vouch for a
//   model, so the verdict is INCOMPLETE, never a pass.

import { DEFAULT_POLICY, type GradePolicy } from '../../graders/grade.ts';
import { graders } from '../../graders/index.ts';
import { UsageError } from '../errors.ts';
import { readYaml, validate } from '../files.ts';
import { didYouMean } from '../suggest.ts';
import { GatePolicySchema, SuiteSchema, type GatePolicyConfig, type Suite } from '../suite/schema.ts';

type Required<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** The policy with every default filled in (escalate stays optional: no second batch unless planned). */
/** The policy with every default filled in; `control` and `controlSamples` are eval's business (what to sample). */
export type GatePolicy = Required<Omit<GatePolicyConfig, 'escalate' | 'control' | 'controlSamples'>> & { escalate: { samples: number; firstShare: number } | null };

export const GATE_DEFAULTS = { maxDrop: 0.05, alpha: 0.05, meanShare: 0.5, minScenarios: 4, minSamples: 1, maxMissing: 0.05, hardPoints: 5, permutations: 10_000, seed: 1, onInconclusive: 'pass', firstShare: 0.5 } as const;

/** The policy from a `gate:` section; hard graders default to the suite's document-level ones. */
export function gatePolicy(config: GatePolicyConfig | undefined, gradeHard: readonly string[] = DEFAULT_POLICY.hard): GatePolicy {
  const d = GATE_DEFAULTS;
  return {
    maxDrop: config?.maxDrop ?? d.maxDrop,
    alpha: config?.alpha ?? d.alpha,
    meanShare: config?.meanShare ?? d.meanShare,
    minScenarios: config?.minScenarios ?? d.minScenarios,
    minSamples: config?.minSamples ?? d.minSamples,
    maxMissing: config?.maxMissing ?? d.maxMissing,
    hard: config?.hard ?? Object.fromEntries(gradeHard.map((id) => [id, d.hardPoints])),
    permutations: config?.permutations ?? d.permutations,
    seed: config?.seed ?? d.seed,
    onInconclusive: config?.onInconclusive ?? d.onInconclusive,
    escalate: config?.escalate ? { samples: config.escalate.samples, firstShare: config.escalate.firstShare ?? d.firstShare } : null,
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
  if (!object) throw new UsageError(`${file}: expected a gate policy (maxDrop, alpha, hard, …) or a suite with a gate: section`);
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
