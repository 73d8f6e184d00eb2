// `promptgate export promptfoo`: write a promptfooconfig.yaml that runs a suite in promptfoo —
// the same requests through promptfoo's own providers, graded by promptgate's graders as
// promptfoo assertions (src/promptfoo/export-config.ts has the mapping and why).

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Grader } from '../../graders/core.ts';
import { parseDocument } from '../../graders/document.ts';
import { checkId, isCellCheck } from '../../graders/generic/schema.ts';
import { gradeDocument, type GradePolicy } from '../../graders/grade.ts';
import type { Scenario } from '../dataset/schema.ts';
import { gradersFor, prepareGraderSet } from '../../graders/generic/set.ts';
import { loadedGrader } from '../../graders/generic/modules.ts';
import type { CommandModule } from '../command.ts';
import { DEFAULT_SCENARIOS_DIR, scenariosOrThrow, selectScenarios } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { checkOutputFile } from '../files.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { ExportError, promptfooConfig } from '../promptfoo/export-config.ts';
import { suiteVersions } from '../registry/load.ts';
import { writeAtomic } from '../registry/lock.ts';
import { projectPath } from '../project/paths.ts';
import { loadSuite } from '../suite/load.ts';

export const usage = `Usage: promptgate export promptfoo [--suite FILE] [--out FILE] [options] [--json]

Write a promptfooconfig.yaml equivalent to a suite, for \`promptfoo eval\`:
  prompts     each prompt version × model, with the exact system and user text promptgate sends
              (id promptgate:<prompt>@<version>|<provider>:<model>, label <prompt>@<version>)
  providers   the suite's models as anthropic:messages:<model> / openai:responses:<model>
              (openai:chat:<model> for api: chat), with the same max tokens and temperature
  tests       one per scenario: vars.scenario (its id) and the template's variables (message…)
  assert      one javascript assertion per grader (promptgate/promptfoo), weighted as the suite
              says; the test passes as promptgate decides: score ≥ passThreshold and every hard
              grader passes (grader modules and cost/latency checks are applied by import)
  repeat      the suite's samples (evaluateOptions.repeat)
Run \`promptfoo eval\` in the folder of the written file (scenario ids are looked up from there),
then bring the results back with: promptgate import promptfoo results.json --suite FILE

Options:
  --suite FILE              the suite (default: the project's, evals/default.yaml)
  --out FILE                where to write (default: promptfooconfig.yaml)
  --versions LIST           released, candidates, all, or versions (comma-separated)
  --models LIST             provider:model,...
  --scenarios IDS|tag:NAME  scenario ids (comma-separated), tag:NAME, or all
  --samples N               samples per cell (promptfoo's repeat)
  --json                    print what was written as JSON (notes stay on stderr)
  -h, --help                show this help

Exit codes: 0 written, 2 bad input (one line: file, field, what was expected).
`;

export const options: CommandModule['options'] = {
  suite: { type: 'string', default: projectPath('suite') },
  out: { type: 'string', default: 'promptfooconfig.yaml' },
  versions: { type: 'string' },
  models: { type: 'string' },
  scenarios: { type: 'string' },
  samples: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [format, extra] = positionals;
  if (format !== 'promptfoo') throw new UsageError(`export: expected the format "promptfoo", got ${format === undefined ? 'nothing' : `"${format}"`} (see promptgate export --help)`);
  if (extra !== undefined) throw new UsageError(`export: unexpected "${extra}" (options start with --; see promptgate export --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const suiteFile = str('suite')!;
  const out = str('out')!;
  const suite = loadSuite(suiteFile, {
    ...(str('versions') && { versions: str('versions') }),
    ...(str('models') && { models: str('models') }),
    ...(str('scenarios') && { scenarios: str('scenarios') }),
    ...(str('samples') && { samples: str('samples') }),
  });
  checkOutputFile(out, '--out');
  const versions = suiteVersions(suite);
  const scenarios = selectScenarios(scenariosOrThrow(), Array.isArray(suite.scenarios) ? suite.scenarios.join(',') : suite.scenarios, suite.prompt);
  const outDir = dirname(resolve(out));
  // The suite's grader set (graders/generic/set.ts). Inside promptfoo the built-in graders and
  // the text checks run; grader modules (TypeScript, loaded by promptgate) and the cost and
  // latency checks (facts of a cell) are applied by `import promptfoo`.
  const policy = await prepareGraderSet(gradePolicyOf(suite), suiteFile);
  const modules = new Set((policy.graderModules ?? []).map((ref) => loadedGrader(ref)?.id));
  const checks = new Map((policy.checks ?? []).filter((c) => !isCellCheck(c)).map((c) => [checkId(c), c]));
  const left = [...modules].filter((id): id is string => id !== undefined).concat((policy.checks ?? []).filter(isCellCheck).map(checkId));
  let exported;
  try {
    exported = promptfooConfig({
      suite,
      suiteFile,
      versions,
      scenarios,
      policy,
      graders: gradersFor(policy)
        .filter((g) => !modules.has(g.id))
        .map((g) => ({ id: g.id, weight: g.weight, ...(g.needsScenario && { needsScenario: true }), ...(checks.has(g.id) && { check: checks.get(g.id)! }), ...appliesTo(g, scenarios, policy) }))
        .filter((g) => !g.appliesTo || g.appliesTo.length),
      assertionModule: `file://${portable(relative(outDir, assertionModule()))}`,
      // promptfoo runs in the config's folder: scenario ids are looked up from there.
      scenariosDir: portable(relative(outDir, resolve(DEFAULT_SCENARIOS_DIR))) || '.',
    });
  } catch (error) {
    if (error instanceof ExportError) throw new UsageError(error.message);
    throw error;
  }
  if (left.length) exported.notes.push(`not run inside promptfoo (so its scores leave them out): ${left.join(', ')}; promptgate import promptfoo grades with them`);
  const header = [
    `# Written by \`promptgate export promptfoo --suite ${suiteFile}\`: ${versions.length} version(s) × ${scenarios.length} scenario(s) × ${suite.models.length} model(s) × ${suite.samples} sample(s).`,
    '# Regenerate it rather than editing it; run `promptfoo eval` in this folder, then',
    `# \`promptgate import promptfoo <output.json> --suite ${suiteFile}\` for promptgate's run, reports and gate.`,
    ...exported.notes.map((n) => `# note: ${n}`),
    '',
  ].join('\n');
  writeAtomic(out, `${header}${stringify(exported.config, { lineWidth: 0 })}`);
  for (const note of exported.notes) io.err(`note: ${note}\n`);
  const cells = versions.length * scenarios.length * suite.models.length * suite.samples;
  if (values.json) {
    const summary = { file: out, prompts: versions.length * suite.models.length, tests: scenarios.length, repeat: suite.samples, cells, versions: versions.map((v) => v.meta.version), scenarios: scenarios.map((s) => s.id), providers: (exported.config.providers as Array<{ id: string }>).map((p) => p.id), notes: exported.notes };
    return void io.out(`${JSON.stringify(summary, null, 2)}\n`);
  }
  io.out(`wrote ${out}: ${versions.length * suite.models.length} prompts (version × model), ${scenarios.length} tests, repeat ${suite.samples} — ${cells} cells\n`);
};

/**
 * The scenarios a grader runs for, when not all: gradeDocument leaves a grader out for a scenario
 * without what it needs (graders/grade.ts), asked here of an empty document rather than repeated.
 */
function appliesTo(g: Grader, scenarios: Scenario[], policy: GradePolicy): { appliesTo?: string[] } {
  const ids = scenarios.filter((scenario) => g.id in gradeDocument(EMPTY, { scenario }, policy, [g]).graders).map((s) => s.id);
  return ids.length === scenarios.length ? {} : { appliesTo: ids };
}

const EMPTY = parseDocument('');

/** lib/promptfoo.js of this promptgate (a checkout or node_modules/promptgate), built at `prepare`. */
function assertionModule(): string {
  let file: string;
  try {
    file = fileURLToPath(import.meta.resolve('promptgate/promptfoo'));
  } catch {
    throw new UsageError('promptgate/promptfoo cannot be resolved from this installation; expected package.json "exports" to name ./promptfoo (reinstall promptgate)');
  }
  rebuildIfStale(file);
  if (!existsSync(file)) throw new UsageError(`${file}: not built; run npm run build:lib (npm ci runs it) to build the promptfoo assertions`);
  return file;
}

/**
 * In a checkout (scripts/build-lib.mjs is there; an installed package ships lib/ built), lib/ is
 * rebuilt when a source is newer than it: promptfoo must grade with the graders promptgate has.
 */
function rebuildIfStale(file: string): void {
  const root = dirname(dirname(file));
  const script = join(root, 'scripts', 'build-lib.mjs');
  if (!existsSync(script)) return;
  const built = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built && newestSource([join(root, 'src'), join(root, 'graders')]) <= built) return;
  try {
    execFileSync(process.execPath, [script], { stdio: 'ignore' });
  } catch {
    // Left as it is; a missing file is reported by the caller.
  }
}

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return newest;
}

const portable = (path: string) => path.split(sep).join('/');

