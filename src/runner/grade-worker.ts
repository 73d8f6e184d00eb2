// What a grading worker thread runs, and the same function the main thread runs when it grades
// inline: one output in, the compact grade the grade cache keeps out (each grader's evidence as
// line numbers and notes only, so that little crosses the thread boundary). The message loop
// starts only in a thread that grade-pool.ts started (it marks its workerData), never merely
// because this module is imported.

import { parentPort, workerData } from 'node:worker_threads';
import { gradeDocument, type GradePolicy } from '../../graders/grade.ts';
import { gradersFor, loadPolicyModules } from '../../graders/generic/set.ts';
import { GradingLimit } from '../../graders/limits.ts';
import type { Scenario } from '../dataset/schema.ts';
import type { CachedGrade } from './grade-cache.ts';

export interface GradeJob {
  text: string;
  scenario: Scenario | null;
  policy: GradePolicy;
}

/** `limit`: the error was a GradingLimit (too big or too slow), so the main thread can say so. */
export type WorkerReply = { id: number; grade: CachedGrade } | { id: number; error: string; limit?: boolean };

export function gradeOutput(job: GradeJob): CachedGrade {
  // The suite's grader set (built-in, generic checks, modules) travels in the policy.
  const graded = gradeDocument(job.text, { scenario: job.scenario }, job.policy, gradersFor(job.policy));
  return {
    score: graded.score,
    pass: graded.pass,
    grades: Object.fromEntries(Object.entries(graded.graders).map(([id, g]) => [id, { pass: g.pass, score: g.score, reason: g.reason, at: byLine(g.evidence.at) }])),
  };
}

/** One entry per line (a grader may point at a line twice, for two findings), in line order. */
function byLine(at: { line: number; note: string }[]): [number, string][] {
  const lines = new Map<number, string[]>();
  for (const l of at) lines.set(l.line, [...(lines.get(l.line) ?? []), l.note]);
  return [...lines].sort(([a], [b]) => a - b).map(([line, notes]) => [line, [...new Set(notes)].join('; ')]);
}

if (parentPort && (workerData as { promptgateGradeWorker?: boolean } | null)?.promptgateGradeWorker) {
  const port = parentPort;
  port.on('message', async (job: GradeJob & { id: number }) => {
    let reply: WorkerReply;
    try {
      // A project's grader modules load in this thread too, once, before its first grade.
      await loadPolicyModules(job.policy);
      reply = { id: job.id, grade: gradeOutput(job) };
    } catch (error) {
      reply = { id: job.id, error: (error as Error)?.message ?? String(error), ...(error instanceof GradingLimit && { limit: true }) };
    }
    port.postMessage(reply);
  });
}
