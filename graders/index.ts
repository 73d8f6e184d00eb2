// The list of graders, in report order. Adding a grader: write graders/<id>.ts with
// `defineGrader`, put fixtures in graders/fixtures/<id>/, and add one line here.

import alerting from './alerting.ts';
import budget from './budget.ts';
import complexityFit from './complexity-fit.ts';
import type { Grader } from './core.ts';
import configExamples from './config-examples.ts';
import costTable from './cost-table.ts';
import diagram from './diagram.ts';
import governance from './governance.ts';
import layers from './layers.ts';
import lineage from './lineage.ts';
import monitoring from './monitoring.ts';
import qualityGates from './quality-gates.ts';
import reliability from './reliability.ts';
import requirements from './requirements.ts';
import revision from './revision.ts';
import scalability from './scalability.ts';
import sections from './sections.ts';
import sourceAssessment from './source-assessment.ts';
import sourceCoverage from './source-coverage.ts';
import tradeOffs from './trade-offs.ts';
import wordCount from './word-count.ts';

export const graders: readonly Grader[] = [
  sections,
  wordCount,
  costTable,
  tradeOffs,
  diagram,
  monitoring,
  qualityGates,
  scalability,
  reliability,
  governance,
  configExamples,
  // The prompt's remaining criteria: its quality criteria (layers, actionable alerting) and
  // task steps 1 and 3 (source assessment, stages with lineage).
  layers,
  alerting,
  sourceAssessment,
  lineage,
  // Scenario-aware: run only when a document is graded against a scenario.
  sourceCoverage,
  requirements,
  budget,
  complexityFit,
  // Later turns of a multi-turn scenario only (src/dataset/turns.ts).
  revision,
];

/**
 * The hook for graders a project adds (graders/generic/set.ts: a suite's generic checks and the
 * grader modules a suite or the project config lists, once loaded). They are appended here so
 * that calibration, reports and the gate know their ids as they know the built-in ones; which
 * graders grade a suite's answers is graders/generic/set.ts's gradersFor.
 */
export function addGraders(extra: readonly Grader[]): void {
  for (const g of extra) if (!graders.some((known) => known.id === g.id)) (graders as Grader[]).push(g);
}
