// Which graders grade a suite's answers. The built-in graders (graders/index.ts) are written for
// the Pipeline Design Architect and stay its default set; a suite adds generic checks
// (`graders.checks`) and grader modules (`graders.modules`, and the project config's `graders`),
// and a suite for another prompt grades with those alone unless it says `builtin: true`.
//
// The set travels inside the grading policy (plain data, so it crosses to worker threads and
// into the grade cache's key): `checks` as written, modules as resolved files with a content
// hash, so editing a grader module is never answered from a stale cached grade.

import { UsageError } from '../../src/errors.ts';
import { currentProject } from '../../src/project/paths.ts';
import type { Grader } from '../core.ts';
import type { GradePolicy } from '../grade.ts';
import { addGraders, graders } from '../index.ts';
import { withCellChecks, type GradedCell } from './cell-checks.ts';
import { checkGrader } from './checks.ts';
import { loadedGrader, loadGraderModule, resolveModule, type ModuleRef } from './modules.ts';
import { checkId, isCellCheck, type Check } from './schema.ts';

/** The prompt the built-in graders are written for: its suites grade with them unless told otherwise. */
export const BUILTIN_PROMPT = 'pipeline-design-architect';

/** A grading policy with the suite's grader set (suite `graders:` is spread into the policy). */
export interface SetPolicy extends GradePolicy {
  builtin?: boolean;
  checks?: Check[];
  modules?: string[];
  /** Every module (the project's, then the suite's), resolved by prepareGraderSet. */
  graderModules?: ModuleRef[];
}

/** Ids added through graders/index.ts's hook: everything else in that list is built in. */
const added = new Set<string>();

export function builtinGraders(): Grader[] {
  return graders.filter((g) => !added.has(g.id));
}

/**
 * The suite's set made ready in this process: modules resolved and loaded, and every grader the
 * set adds made known to calibration, reports and the gate (graders/index.ts's hook). Returns the
 * policy to grade with; a policy with no modules anywhere comes back unchanged (same cache keys).
 */
export async function prepareGraderSet(policy: SetPolicy, suiteFile: string): Promise<SetPolicy> {
  const project = currentProject();
  const refs = [
    ...(project.config.graders ?? []).map((spec, i) => ({ ref: resolveModule(spec, project.root, `${project.configFile}: /graders/${i}`), where: `${project.configFile}: /graders/${i}` })),
    ...(policy.modules ?? []).map((spec, i) => ({ ref: resolveModule(spec, project.root, `${suiteFile}: /graders/modules/${i}`), where: `${suiteFile}: /graders/modules/${i}` })),
  ];
  const fromModules = await Promise.all(refs.map(({ ref, where }) => loadGraderModule(ref, where).then((g) => ({ g, where }))));
  const builtin = new Set(builtinGraders().map((g) => g.id));
  const seen = new Map<string, string>();
  const claim = (id: string, where: string) => {
    if (builtin.has(id)) throw new UsageError(`${where}: grader id "${id}" is a built-in grader's; expected another id`);
    const other = seen.get(id);
    if (other && other !== where) throw new UsageError(`${where}: grader id "${id}" is used twice (also ${other}); expected unique ids`);
    seen.set(id, where);
  };
  for (const { g, where } of fromModules) claim(g.id, where);
  (policy.checks ?? []).forEach((c, i) => claim(checkId(c), `${suiteFile}: /graders/checks/${i}`));
  register([...fromModules.map((m) => m.g), ...(policy.checks ?? []).map(knownAs)]);
  return refs.length ? { ...policy, graderModules: refs.map((r) => r.ref) } : policy;
}

/** In a worker thread: load the policy's modules before its first grade. */
export async function loadPolicyModules(policy: SetPolicy): Promise<void> {
  for (const ref of policy.graderModules ?? []) await loadGraderModule(ref, ref.spec);
}

/** The project config's modules, for commands that grade with every grader (grade, calibrate). */
export async function registerProjectGraders(): Promise<void> {
  await prepareGraderSet({ weights: {}, hard: [], passThreshold: 0 }, 'the project config');
}

const textCheckGraders = new Map<string, Grader>();

/** The graders that grade a text under this policy, in report order. */
export function gradersFor(policy: SetPolicy): Grader[] {
  if (policy.builtin === undefined && !policy.checks && !policy.graderModules) return builtinGraders();
  const list = policy.builtin === false ? [] : builtinGraders();
  for (const ref of policy.graderModules ?? []) {
    const g = loadedSync(ref);
    if (!list.some((x) => x.id === g.id)) list.push(g);
  }
  for (const check of policy.checks ?? []) {
    if (isCellCheck(check)) continue;
    const key = JSON.stringify(check);
    let g = textCheckGraders.get(key);
    if (!g) textCheckGraders.set(key, (g = checkGrader(check)));
    list.push(g);
  }
  return list;
}

/** Cost and latency checks applied to a graded cell (cell-checks.ts), with this set's weights. */
export function applyCellChecks<C extends GradedCell>(cell: C, policy: SetPolicy): C {
  const checks = policy.checks ?? [];
  if (!checks.some(isCellCheck)) return cell;
  const set = gradersFor(policy);
  const weightOf = (id: string) => set.find((g) => g.id === id)?.weight ?? checks.find((c) => checkId(c) === id)?.weight ?? 1;
  return withCellChecks(cell, { checks, policy, weightOf });
}

function loadedSync(ref: ModuleRef): Grader {
  const g = loadedGrader(ref);
  if (!g) throw new Error(`grader module ${ref.spec} was not loaded before grading (prepareGraderSet or loadPolicyModules first)`);
  return g;
}

function register(list: Grader[]): void {
  for (const g of list) added.add(g.id);
  addGraders(list);
}

/** A check as the gate and reports know it: its id, weight and description (cost and latency are graded per cell). */
function knownAs(check: Check): Grader {
  if (!isCellCheck(check)) return checkGrader(check);
  return {
    id: checkId(check),
    description: check.description ?? (check.type === 'cost' ? `cost per cell at most $${check.maxUsd}` : `latency per cell at most ${check.maxMs} ms`),
    weight: check.weight ?? 1,
    grade() {
      throw new Error(`${checkId(check)} is a per-cell ${check.type} check; it grades cell results, not text`);
    },
  };
}
