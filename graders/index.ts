// The list of graders, in report order. Adding a grader: write graders/<id>.ts with
// `defineGrader`, put fixtures in graders/fixtures/<id>/, and add one line here.

import budget from './budget.ts';
import complexityFit from './complexity-fit.ts';
import type { Grader } from './core.ts';
import configExamples from './config-examples.ts';
import costTable from './cost-table.ts';
import diagram from './diagram.ts';
import governance from './governance.ts';
import monitoring from './monitoring.ts';
import qualityGates from './quality-gates.ts';
import reliability from './reliability.ts';
import requirements from './requirements.ts';
import scalability from './scalability.ts';
import sections from './sections.ts';
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
  // Scenario-aware: run only when a document is graded against a scenario.
  sourceCoverage,
  requirements,
  budget,
  complexityFit,
];
