// The one entry point for writing a run's reports: `promptgate report` calls it, and so does
// `promptgate eval` at its end. Loads the run (and the run it is compared with), builds the
// report model once, and writes report.md, report.html and junit.xml into the run folder.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { redactSecrets } from '../redact.ts';
import { writeAtomic } from '../registry/lock.ts';
import { baselineAsRun } from './baseline.ts';
import { buildReport } from './build.ts';
import { drillData, packDrillData, type DocumentOptions } from './documents.ts';
import { renderHtml } from './html/page.ts';
import { renderJunit } from './junit.ts';
import { loadRun, type LoadOptions, type RunData } from './load.ts';
import { loadJudgeSection } from './judge.ts';
import { renderMarkdown } from './markdown.ts';

export { DEFAULT_BASELINE } from '../gate/baseline.ts';

export interface ReportOptions {
  /** Compare with another run (its folder), or with the committed baseline. */
  compare?: { runDir: string } | { baselineFile: string };
  /** Where runs are (to find the run a baseline was made from); default reports/runs. */
  runsDir?: string;
  /** Response store folder; default: the run's suite `store`, else .promptgate/store. */
  store?: string;
  /** Where the hand-written references and scenarios live (defaults: datasets/…). */
  referencesDir?: string;
  scenariosDir?: string;
  /** Grade caches already open, by store folder: where the evidence lines come from (documents.ts). */
  gradeCaches?: DocumentOptions['gradeCaches'];
  /** The run as eval holds it at its end, so that it is not read back from disk. */
  written?: LoadOptions['written'];
}

export interface WrittenReports {
  md: string;
  html: string;
  junit: string;
}

export async function writeReports(runDir: string, options: ReportOptions = {}): Promise<WrittenReports> {
  const current = loadRun(runDir, { ...(options.store && { store: options.store }), ...(options.written && { written: options.written }) });
  const compared = options.compare ? loadCompared(options.compare, options) : null;
  const model = { ...buildReport(current, compared), judge: loadJudgeSection(runDir) };
  const drill = drillData(model, current, compared, {
    ...(options.referencesDir && { referencesDir: options.referencesDir }),
    ...(options.scenariosDir && { scenariosDir: options.scenariosDir }),
    ...(options.gradeCaches && { gradeCaches: options.gradeCaches }),
  });
  const paths = { md: join(runDir, 'report.md'), html: join(runDir, 'report.html'), junit: join(runDir, 'junit.xml') };
  // The last line of defence (redact.ts): no key value in any report, whatever path it took.
  writeAtomic(paths.md, redactSecrets(renderMarkdown(model)));
  writeAtomic(paths.html, redactSecrets(renderHtml(model, await packDrillData(drill))));
  writeAtomic(paths.junit, redactSecrets(renderJunit(model)));
  return paths;
}

function loadCompared(compare: NonNullable<ReportOptions['compare']>, options: ReportOptions): RunData {
  if ('runDir' in compare) return loadRun(compare.runDir, options.store ? { store: options.store } : {});
  if (!existsSync(compare.baselineFile)) throw new UsageError(`no ${compare.baselineFile}; run promptgate baseline update`);
  return baselineAsRun(compare.baselineFile, options.runsDir ?? 'reports/runs', options.store ? { store: options.store } : {});
}
