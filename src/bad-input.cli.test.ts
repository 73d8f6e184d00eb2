// Bad input through the real CLI (issue 11): every row is one mistake a user or a CI script could
// make, and each must end the same way — exit 2, ONE line on stderr that names the file or option
// and what was expected, no stack trace, nothing on stdout, and no request (no key is set and the
// endpoints point at a closed port, so a run that wrongly started would show as another exit).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../graders/grade.ts';
import { buildBaseline, formatBaseline } from './gate/baseline.ts';
import { syntheticRun, type SyntheticRun } from '../bench/report/fixture.ts';
import { readJsonFile } from './files.ts';
import type { Results } from './runner/results.ts';
import { cli, tempDir } from './testing/cli.ts';

let tmp = '';
let run: SyntheticRun;
const p = (name: string) => join(tmp, name);

const SUITE = `prompt: pipeline-design-architect
versions: [released]
models:
  - { provider: anthropic, model: claude-sonnet-5-5 }
scenarios: [ecommerce-hybrid]
samples: 1
`;

beforeAll(() => {
  tmp = tempDir();
  writeFileSync(p('afile'), 'x\n');
  mkdirSync(p('adir'));
  writeFileSync(p('big.md'), `# Big\n\n${'word '.repeat((2 * 1024 * 1024) / 5)}\n`);
  writeFileSync(p('big.yaml'), `description: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
  writeFileSync(p('latin1.md'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
  execFileSync('mkfifo', [p('fifo')]);
  const suites: Record<string, string> = {
    'dup-models.yaml': SUITE.replace('models:\n', 'models:\n  - { provider: openai, model: gpt-5.6-terra }\n  - { provider: anthropic, model: claude-sonnet-5-5, temperature: 1 }\n'),
    'dup-scenarios.yaml': SUITE.replace('[ecommerce-hybrid]', '[ecommerce-hybrid, payments-pci, ecommerce-hybrid]'),
    'dup-scenarios-string.yaml': SUITE.replace('[ecommerce-hybrid]', '"ecommerce-hybrid,ecommerce-hybrid"'),
    'dup-versions.yaml': SUITE.replace('[released]', '[1.1.0, 1.1.0]'),
    'inf-budget.yaml': `${SUITE}budgetUsd: .inf\n`,
    'huge-budget.yaml': `${SUITE}budgetUsd: 1e300\n`,
    'nan-samples.yaml': SUITE.replace('samples: 1', 'samples: .nan'),
    'inf-timeout.yaml': SUITE.replace('claude-sonnet-5-5 }', 'claude-sonnet-5-5, timeoutSeconds: .inf }'),
    'alias-bomb.yaml': `${SUITE}a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i ? `*b${i - 1}` : '*a').join(', ')}]\n`).join('')}`,
    'deep.yaml': `${SUITE}description: ${'['.repeat(100_000)}\n`,
    'out-file.yaml': `${SUITE}out: ${p('afile')}\n`,
    'store-file.yaml': `${SUITE}store: ${p('afile')}/store\n`,
  };
  for (const [name, text] of Object.entries(suites)) writeFileSync(p(name), text);
  run = syntheticRun({ root: tmp, versions: ['1.1.0'], scenarios: 4, samples: 1, extras: false });
  const results = readJsonFile(join(run.dir, 'results.json')) as Results;
  writeFileSync(p('baseline.json'), formatBaseline(buildBaseline(results, '1.1.0', DEFAULT_POLICY)));
  // report.md where a folder stands: the report cannot be written.
  mkdirSync(join(run.dir, 'report.md'));
}, 120_000);

interface Case {
  args: string[] | (() => string[]);
  /** What the one line must say: the file or option, and what was expected. */
  line: RegExp;
  input?: string | Buffer;
  env?: () => Record<string, string>;
  /** The command printed its result before the write that failed (gate prints its verdict first). */
  printsFirst?: boolean;
}

// Runs write into the temp folder, never into the repository, should a row wrongly be accepted.
const evalArgs = (...args: string[]) => ['eval', ...args, ...(args.some((a) => a.startsWith('--out') || a.startsWith('--resume')) ? [] : ['--out', p('runs')]), ...(args.some((a) => a.startsWith('--store') || a.startsWith('--resume')) ? [] : ['--store', p('store')])];

const CASES: Record<string, Case> = {
  // Empty values: an unset variable in CI must never mean "the default".
  'eval --resume ""': { args: () => evalArgs('--resume', ''), line: /^eval --resume: empty value; expected a value \(RUN_ID\)/ },
  'eval --resume=': { args: () => evalArgs('--resume='), line: /^eval --resume: empty value/ },
  'eval --suite ""': { args: () => evalArgs('--suite', ''), line: /^eval --suite: empty value; expected a value \(FILE\)/ },
  'eval --models ""': { args: () => evalArgs('--models', ''), line: /^eval --models: empty value; expected a value \(LIST\)/ },
  'eval --out "  "': { args: ['eval', '--out', '  '], line: /^eval --out: empty value; expected a value \(DIR\)/ },
  'eval --max-cost ""': { args: () => evalArgs('--max-cost', ''), line: /^eval --max-cost: empty value; expected a value \(USD\)/ },
  'report --compare ""': { args: () => ['report', run.runId, '--runs', run.runsDir, '--compare', ''], line: /^report --compare: empty value/ },
  'gate --run ""': { args: ['gate', '--run', ''], line: /^gate --run: empty value; expected a value \(RUN_ID\|latest\)/ },
  'gate --baseline ""': { args: ['gate', '--baseline', ''], line: /^gate --baseline: empty value; expected a value \(FILE\)/ },
  'baseline update --out ""': { args: ['baseline', 'update', '--out', ''], line: /^baseline --out: empty value; expected a value \(FILE\)/ },
  'regrade --store ""': { args: ['regrade', 'latest', '--store', ''], line: /^regrade --store: empty value; expected a value \(DIR\)/ },
  'grade ""': { args: ['grade', ''], line: /^grade: an empty argument; expected what "promptgate grade <file.md\|->/ },
  'grade x.md --scenario ""': { args: () => ['grade', p('big.md'), '--scenario', ''], line: /^grade --scenario: empty value/ },
  'registry list --dir ""': { args: ['registry', 'list', '--dir', ''], line: /^registry --dir: empty value; expected a value \(DIR\)/ },
  'dataset lint --dir ""': { args: ['dataset', 'lint', '--dir', ''], line: /^dataset --dir: empty value; expected a value \(DIR\)/ },
  'calibrate --dir ""': { args: ['calibrate', '--dir', ''], line: /^calibrate --dir: empty value/ },
  // Control characters and options given twice.
  'eval --out with a newline': { args: ['eval', '--out', 'runs\nx'], line: /^eval --out: contains the control character U\+000A; expected plain text/ },
  'grade ESC in the path': { args: ['grade', 'a\u001b[31m.md'], line: /^grade an argument: contains the control character U\+001B/ },
  'eval --resume twice': { args: ['eval', '--resume', 'a', '--resume', 'b'], line: /^eval: --resume is given twice; give it once/ },
  'gate --run twice': { args: ['gate', '--run', 'latest', '--run', ''], line: /^gate: --run is given twice/ },
  // Numbers are plain decimals in range.
  'eval --samples 0x10': { args: () => evalArgs('--samples', '0x10'), line: /^--samples: "0x10" is not a whole number from 1 to 100; expected plain digits/ },
  'eval --samples 1e1': { args: () => evalArgs('--samples', '1e1'), line: /^--samples: "1e1" is not a whole number/ },
  'eval --samples 2.0': { args: () => evalArgs('--samples', '2.0'), line: /^--samples: "2.0" is not a whole number/ },
  'eval --samples 0': { args: () => evalArgs('--samples', '0'), line: /^--samples: "0" is not a whole number from 1 to 100/ },
  'eval --samples 101': { args: () => evalArgs('--samples', '101'), line: /^--samples: "101" is not a whole number from 1 to 100/ },
  'eval --samples -3': { args: () => evalArgs('--samples', '-3'), line: /^eval: Option '--samples' argument is ambiguous/ },
  'eval --samples " 2"': { args: () => evalArgs('--samples', ' 2'), line: /^--samples: " 2" is not a whole number/ },
  'eval --concurrency 0': { args: () => evalArgs('--concurrency', '0'), line: /^--concurrency: "0" is not a whole number from 1 to 256/ },
  'eval --concurrency 1e3': { args: () => evalArgs('--concurrency', '1e3'), line: /^--concurrency: "1e3" is not a whole number from 1 to 256/ },
  'eval --max-cost Infinity': { args: () => evalArgs('--max-cost', 'Infinity'), line: /^--max-cost: "Infinity" is not an amount above 0 and at most 100000; expected plain digits/ },
  'eval --max-cost 1e999': { args: () => evalArgs('--max-cost', '1e999'), line: /^--max-cost: "1e999" is not an amount/ },
  'eval --max-cost 0x10': { args: () => evalArgs('--max-cost', '0x10'), line: /^--max-cost: "0x10" is not an amount/ },
  'eval --max-cost NaN': { args: () => evalArgs('--max-cost', 'NaN'), line: /^--max-cost: "NaN" is not an amount/ },
  'eval --max-cost 0': { args: () => evalArgs('--max-cost', '0'), line: /^--max-cost: "0" is not an amount above 0/ },
  'eval --max-cost .5': { args: () => evalArgs('--max-cost', '.5'), line: /^--max-cost: ".5" is not an amount/ },
  'eval --max-cost 1000000': { args: () => evalArgs('--max-cost', '1000000'), line: /^--max-cost: "1000000" is not an amount above 0 and at most 100000/ },
  // A model, scenario or version listed twice would be paid twice.
  'eval --models twice': { args: () => evalArgs('--models', 'anthropic:claude-sonnet-5-5,anthropic:claude-sonnet-5-5'), line: /^--models: "anthropic:claude-sonnet-5-5" is listed twice; list each once/ },
  'eval --models empty item': { args: () => evalArgs('--models', 'anthropic:claude-sonnet-5-5,,openai:gpt-5.6-terra'), line: /^--models: ".*" has an empty item/ },
  'eval --scenarios twice': { args: () => evalArgs('--scenarios', 'ecommerce-hybrid, ecommerce-hybrid'), line: /^--scenarios: "ecommerce-hybrid" is listed twice/ },
  'eval --versions twice': { args: () => evalArgs('--versions', '1.1.0,1.1.0'), line: /^--versions: "1.1.0" is listed twice/ },
  'suite: a model twice': { args: () => evalArgs('--suite', p('dup-models.yaml')), line: /dup-models\.yaml: \/models\/2: anthropic:claude-sonnet-5-5 is listed twice \(also \/models\/1\)/ },
  'suite: a scenario twice': { args: () => evalArgs('--suite', p('dup-scenarios.yaml')), line: /dup-scenarios\.yaml: \/scenarios: "ecommerce-hybrid" is listed twice/ },
  'suite: a scenario twice (a string)': { args: () => evalArgs('--suite', p('dup-scenarios-string.yaml')), line: /dup-scenarios-string\.yaml: \/scenarios: "ecommerce-hybrid" is listed twice/ },
  'suite: a version twice': { args: () => evalArgs('--suite', p('dup-versions.yaml')), line: /dup-versions\.yaml: \/versions: "1.1.0" is listed twice/ },
  // YAML numbers that JavaScript numbers allow and no field means.
  'suite: budgetUsd .inf': { args: () => evalArgs('--suite', p('inf-budget.yaml')), line: /inf-budget\.yaml: \/budgetUsd: expected/ },
  'suite: budgetUsd 1e300': { args: () => evalArgs('--suite', p('huge-budget.yaml')), line: /huge-budget\.yaml: \/budgetUsd: expected an amount of at most 100000 USD/ },
  'suite: samples .nan': { args: () => evalArgs('--suite', p('nan-samples.yaml')), line: /nan-samples\.yaml: \/samples: expected/ },
  'suite: timeoutSeconds .inf': { args: () => evalArgs('--suite', p('inf-timeout.yaml')), line: /inf-timeout\.yaml: \/models\/0\/timeoutSeconds: expected/ },
  // YAML that would exhaust the parser.
  'suite: an alias bomb': { args: () => evalArgs('--suite', p('alias-bomb.yaml')), line: /alias-bomb\.yaml: YAML cannot be expanded \(Excessive alias count/ },
  'suite: 100,000 nested [': { args: () => evalArgs('--suite', p('deep.yaml')), line: /deep\.yaml:\d+:\d+: YAML syntax error/ },
  // Only regular files are read, and only up to a cap.
  'eval --suite /dev/zero': { args: () => evalArgs('--suite', '/dev/zero'), line: /^\/dev\/zero: is not a regular file \(a device, pipe or socket\); expected a file/ },
  'eval --suite /dev/stdin (a pipe)': { args: () => evalArgs('--suite', '/dev/stdin'), line: /^\/dev\/stdin: is not a regular file/ },
  'eval --suite a folder': { args: () => evalArgs('--suite', p('adir')), line: /adir: is a directory; expected a file/ },
  'eval --suite a FIFO': { args: () => evalArgs('--suite', p('fifo')), line: /fifo: is not a regular file/ },
  'eval --suite 2 MiB': { args: () => evalArgs('--suite', p('big.yaml')), line: /big\.yaml: larger than 1 MiB; expected a smaller file/ },
  'grade /dev/zero': { args: ['grade', '/dev/zero'], line: /^\/dev\/zero: is not a regular file/ },
  'grade /dev/urandom': { args: ['grade', '/dev/urandom'], line: /^\/dev\/urandom: is not a regular file/ },
  'grade a FIFO': { args: () => ['grade', p('fifo')], line: /fifo: is not a regular file/ },
  'grade a folder': { args: () => ['grade', p('adir')], line: /adir: is a directory; expected a file/ },
  'grade 2 MiB': { args: () => ['grade', p('big.md')], line: /big\.md: larger than 1 MiB; expected a smaller file/ },
  'grade - with 2 MiB on stdin': { args: ['grade', '-'], input: 'word '.repeat((2 * 1024 * 1024) / 5), line: /^standard input: larger than 1 MiB/ },
  'grade - with Latin-1 on stdin': { args: ['grade', '-'], input: Buffer.from([0x23, 0x20, 0xe9, 0x0a]), line: /^standard input:1: not valid UTF-8 text/ },
  'grade a Latin-1 file': { args: () => ['grade', p('latin1.md')], line: /latin1\.md:1: not valid UTF-8 text; expected a UTF-8 markdown or YAML file/ },
  'grade --scenario /dev/zero': { args: () => ['grade', p('latin1.md'), '--scenario', '/dev/zero'], line: /^\/dev\/zero: is not a regular file/ },
  'gate --baseline /dev/zero': { args: () => ['gate', '--runs', run.runsDir, '--run', run.runId, '--baseline', '/dev/zero'], line: /^\/dev\/zero: is not a regular file/ },
  'gate --policy /dev/zero': { args: () => ['gate', '--runs', run.runsDir, '--run', run.runId, '--baseline', p('baseline.json'), '--policy', '/dev/zero'], line: /^\/dev\/zero: is not a regular file/ },
  'report --runs a file': { args: () => ['report', 'nope', '--runs', p('afile')], line: /^nope: no such run in .*afile/ },
  // Output paths: checked before anything is planned, or one line when the write fails.
  'eval --out a file': { args: () => evalArgs('--out', p('afile')), line: /^--out .*afile: is a file; expected a folder to write into/ },
  'eval --out /dev/full': { args: () => evalArgs('--out', '/dev/full'), line: /^--out \/dev\/full: is not a folder \(a device, pipe or socket\); expected a folder/ },
  'eval --out under a file': { args: () => evalArgs('--out', p('afile/runs')), line: /^--out .*afile\/runs: .*afile is a file; expected a folder/ },
  'eval --store a file': { args: () => evalArgs('--store', p('afile')), line: /^--store .*afile: is a file; expected a folder/ },
  'suite: out a file': { args: () => ['eval', '--suite', p('out-file.yaml'), '--store', p('store')], line: /out-file\.yaml: \/out .*afile: is a file; expected a folder/ },
  'suite: store under a file': { args: () => ['eval', '--suite', p('store-file.yaml'), '--out', p('runs')], line: /store-file\.yaml: \/store .*afile\/store: .*afile is a file; expected a folder/ },
  'eval --resume in a file': { args: () => ['eval', '--resume', 'r1', '--out', p('afile')], line: /^--resume r1: no run at .*afile\/r1\/run\.json/ },
  'baseline update --out a folder': { args: () => ['baseline', 'update', '--runs', run.runsDir, '--run', run.runId, '--out', p('adir')], line: /^--out \S*adir: is a folder; expected a file path to write/ },
  'baseline update --out under a file': { args: () => ['baseline', 'update', '--runs', run.runsDir, '--run', run.runId, '--out', p('afile/b.json')], line: /^--out \S*afile\/b\.json: \S*afile is a file; expected a folder/ },
  'baseline update --out /dev/full': { args: () => ['baseline', 'update', '--runs', run.runsDir, '--run', run.runId, '--out', '/dev/full'], line: /^--out \/dev\/full: is not a regular file \(a device, pipe or socket\); expected a file path to write/ },
  'gate: $GITHUB_STEP_SUMMARY a folder': { args: () => ['gate', '--runs', run.runsDir, '--run', run.runId, '--baseline', p('baseline.json')], env: () => ({ GITHUB_STEP_SUMMARY: tmp }), printsFirst: true, line: /: cannot open: is a folder; expected a file \(EISDIR\)/ },
  'report: report.md is a folder': { args: () => ['report', run.runId, '--runs', run.runsDir], line: /report\.md: cannot (open|replace): is a folder; expected a file \(EISDIR\)/ },
};

const NO_NETWORK = { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', OPENAI_BASE_URL: 'http://127.0.0.1:9', GITHUB_STEP_SUMMARY: undefined } as unknown as Record<string, string>;

describe('bad input through the CLI: exit 2, one line, no stack trace, nothing paid', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const args = typeof c.args === 'function' ? c.args() : c.args;
      const { code, stdout, stderr } = await cli(args, undefined, { ...(c.input !== undefined && { input: c.input }), env: { ...NO_NETWORK, ...c.env?.() }, timeoutMs: 30_000 });
      const lines = stderr.trimEnd().split('\n');
      expect(code, stderr).toBe(2);
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^promptgate: /);
      expect(lines[0]!.replace(/^promptgate: /, '')).toMatch(c.line);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
      if (!c.printsFirst) expect(stdout).toBe('');
    }, 40_000);
  }
});

describe('pathological markdown is graded, not a crash', () => {
  it('a 5 KB line of ">" (it overflowed the stack)', async () => {
    const { code, stderr, stdout } = await cli(['grade', '-', '--json'], undefined, { input: `# Doc\n\n${'>'.repeat(5 * 1024)}\n`, timeoutMs: 30_000 });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: '-', pass: false });
  }, 40_000);
});
