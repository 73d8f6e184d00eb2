// Fault matrix, part "secrets, honest answers, reports": `promptgate eval` in a child process,
// the real SDKs against the emulators scripted to misbehave the way real gateways do. Every
// fault asserts the exit code, the one closing line, no stack trace, and that no key value (nor
// the password of a base URL) is in anything the run printed or wrote — the compressed drill-down
// data inside report.html included. Reports must stay well-formed: every markdown table row has
// as many cells as its header, junit.xml is well-formed XML, nothing printed carries ESC or NUL.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CellResultSchema, type Results } from '../runner/results.ts';
import { root, tempDir } from '../testing/cli.ts';
import type { Respond } from '../testing/emulators.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const hex = () => randomBytes(16).toString('hex');
// Key-shaped and not: the OpenAI model's key lives in a variable whose name says nothing, so
// only its registration when handed to a provider can mask it.
const SECRETS = { anthropic: `sk-ant-api03-${hex()}`, openai: `sk-proj-${hex()}`, proxy: `gwtok-${hex()}`, password: `pw-${hex()}` };
const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  NO_COLOR: '1',
  ANTHROPIC_API_KEY: SECRETS.anthropic,
  OPENAI_API_KEY: SECRETS.openai,
  PROXY_SECRET_TOKEN: SECRETS.proxy,
  ANTHROPIC_BASE_URL: emu.anthropic.baseURL,
  OPENAI_BASE_URL: emu.openai.baseURL,
  ...extra,
});

const emu = useEmulators({ latencyMs: 5 });

/** 1 version × 2 scenarios × 2 models × 1 sample = 4 cells (1 scenario: 2 cells). */
function setup(opts: { scenarios?: string; extraModel?: string } = {}) {
  const dir = tempDir();
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    `prompt: pipeline-design-architect
versions: 1.2.0
models:
  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 2 }
  - { provider: openai, model: gpt-5.6-terra, apiKeyEnv: PROXY_SECRET_TOKEN, concurrency: 2${opts.extraModel ?? ''} }
scenarios: ${opts.scenarios ?? 'ecommerce-hybrid,payments-pci'}
samples: 1
references: false
store: ${join(dir, 'store')}
out: ${join(dir, 'runs')}
`,
  );
  return { dir, suite, out: join(dir, 'runs') };
}

function evalCli(args: string[], extraEnv: Record<string, string> = {}, command = 'eval') {
  const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), command, ...args], { cwd: root, env: env(extraEnv) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    const stat = lstatSync(p);
    // reports/latest links to a run folder that is walked anyway.
    return stat.isSymbolicLink() ? [] : stat.isDirectory() ? walk(p) : [p];
  });
}

/** A file's text, with report.html's packed drill-down data unpacked (gzip hides a key from grep). */
function readable(file: string): string {
  const text = readFileSync(file, 'latin1');
  const packed = /<script type="application\/octet-stream" id="drill-data">([^<]*)<\/script>/.exec(text)?.[1];
  return packed ? `${text}\n${gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')}` : text;
}

/** The secret values (and their random parts, which catch re-encoded echoes) found in `text`. */
function secretsIn(text: string, also: string[] = []): string[] {
  const needles = [...Object.values(SECRETS), ...Object.values(SECRETS).map((s) => s.slice(-32)), ...also];
  return needles.filter((n) => text.includes(n));
}

/** The cells of a GFM table row: split on pipes that are not escaped. */
const cellCount = (row: string) => row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).length;

function checkMarkdownTables(md: string): void {
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !lines[i + 1]?.startsWith('|--') && !lines[i + 1]?.startsWith('|---')) continue;
    const width = cellCount(lines[i]!);
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) expect(cellCount(lines[j]!), `report.md line ${j + 1}: ${lines[j]}`).toBe(width);
  }
  // A line that is not a table row but holds a piece of one: a row broken by a line break.
  expect(md).not.toMatch(/^[^|\n].*\|\s*$/m);
}

/** Well-formed XML 1.0: only allowed characters, and every tag closes in order. */
function checkXml(xml: string): void {
  expect(xml).not.toMatch(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  for (const m of body.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(amp|lt|gt|quot|apos);)/g)) {
    if (!m[2]) throw new Error(`junit.xml: stray ${m[0]} at ${m.index}`);
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  results: Results | null;
}

/** What every fault must hold, whatever else it checks; `inputs`: files the test wrote itself. */
function checkCommon(o: Outcome, extraSecrets: string[] = [], inputs: string[] = []): void {
  expect(o.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n/);
  expect(o.stdout + o.stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
  expect(secretsIn(o.stdout, extraSecrets), 'stdout').toEqual([]);
  expect(secretsIn(o.stderr, extraSecrets), 'stderr').toEqual([]);
  // Everything the run wrote: the suite file is the user's input, not the run's output.
  const files = walk(o.dir).filter((f) => !f.endsWith('suite.yaml') && !inputs.includes(f));
  for (const f of files) expect(secretsIn(readable(f), extraSecrets), f).toEqual([]);
  if (o.code !== 0) {
    // The closing line: one line, saying what happened.
    const closing = o.stderr.trimEnd().split('\n').filter((l) => l.startsWith('promptgate: '));
    expect(closing, o.stderr).toHaveLength(1);
  }
  const check = new Ajv({ strict: false }).compile(CellResultSchema);
  for (const f of files.filter((p) => p.endsWith('journal.jsonl'))) {
    for (const line of readFileSync(f, 'utf8').split('\n').filter(Boolean)) expect(check(JSON.parse(line)), line).toBe(true);
  }
  for (const f of files.filter((p) => p.endsWith('report.md'))) checkMarkdownTables(readFileSync(f, 'utf8'));
  for (const f of files.filter((p) => p.endsWith('junit.xml'))) checkXml(readFileSync(f, 'utf8'));
}

async function run(respond: Respond | undefined, opts: Parameters<typeof setup>[0] & { env?: Record<string, string>; args?: string[] } = {}): Promise<Outcome> {
  const { dir, suite, out } = setup(opts);
  emu.respond = respond;
  const r = await evalCli(['--suite', suite, ...(opts.args ?? [])], opts.env);
  const [id] = existsSync(out) ? readdirSync(out) : [];
  const file = id ? join(out, id, 'results.json') : '';
  const results = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : null;
  return { ...r, dir, results };
}

const cells = (o: Outcome) => o.results?.cells ?? [];
const report = (o: Outcome, name: string) => readFileSync(join(o.dir, 'runs', readdirSync(join(o.dir, 'runs'))[0]!, name), 'utf8');

describe('fault matrix: secrets', () => {
  it('a 401 whose body echoes the request headers (both vendors): exit 1, reasons grouped, no key anywhere', async () => {
    const o = await run(() => ({ status: 401, echoHeaders: true }));
    checkCommon(o);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/^promptgate: every cell of claude-sonnet-5-5, gpt-5\.6-terra failed/m);
    expect(o.stdout).toMatch(/errors by reason:\nmodel\s+cells\s+reason\n[- ]+\nclaude-sonnet-5-5\s+2\s+authentication failed for claude-sonnet-5-5 \(anthropic: 401 authentication_error/);
    expect(cells(o).every((c) => c.status === 'error' && c.error!.includes('[redacted]'))).toBe(true);
  }, 60_000);

  it('the same with --json: the errors are listed by reason in the JSON, exit 1, no key', async () => {
    const o = await run(() => ({ status: 401, echoHeaders: true }), { args: ['--json'], scenarios: 'ecommerce-hybrid' });
    checkCommon(o);
    expect(o.code).toBe(1);
    const printed = JSON.parse(o.stdout) as { errors: Array<{ label: string; reason: string; cells: number }> };
    expect(printed.errors.map((e) => [e.label, e.cells])).toEqual([
      ['claude-sonnet-5-5', 1],
      ['gpt-5.6-terra', 1],
    ]);
  }, 60_000);

  it('promptgate report on a results.json that already holds a key (written before redaction): the reports do not', async () => {
    const o = await run(undefined, { scenarios: 'ecommerce-hybrid' });
    expect(o.code).toBe(0);
    const runDir = join(o.dir, 'runs', readdirSync(join(o.dir, 'runs'))[0]!);
    const file = join(runDir, 'results.json');
    const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
    const unknownToken = `tok${hex()}`;
    Object.assign(results.cells[0]!, { status: 'error', error: `gateway echoed x-api-key: ${SECRETS.anthropic} and Authorization: Bearer ${unknownToken}`, score: null, pass: null, grades: {} });
    writeFileSync(file, JSON.stringify(results));
    const r = await evalCli([runDir], {}, 'report');
    checkCommon({ ...r, dir: o.dir, results }, [unknownToken], [file]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toMatch(/gateway echoed x-api-key: \[redacted\] and Authorization: Bearer \[redacted\]/);
  }, 60_000);

  it('a 400 echoing the headers on one scenario, the rest answered: exit 0, the problem table intact, no key', async () => {
    const o = await run((req) => (req.user.includes('PCI') || req.user.includes('card') ? { status: 400, echoHeaders: true } : undefined));
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(cells(o).filter((c) => c.status === 'error')).toHaveLength(2);
    expect(report(o, 'report.md')).toMatch(/^\| \[`1\.2\.0\\\|payments-pci\\\|.*\| error \| bad_request \(HTTP 400\): .*\[redacted\].* \|$/m);
  }, 60_000);

  it('an overloaded 529 echoing the headers, then the answer: retried, exit 0, no key', async () => {
    const o = await run((req) => (req.attempt === 0 ? { status: 529, retryAfterMs: 5, echoHeaders: true } : undefined));
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(cells(o).map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  }, 60_000);

  it('an answer whose text echoes the key: stored and reported without it', async () => {
    const o = await run((req) => ({ text: `# Echo\n\nThe gateway saw: ${JSON.stringify(req.headers)}\n` }));
    checkCommon(o);
    expect(o.code).toBe(0);
    const stored = walk(join(o.dir, 'store')).filter((f) => f.endsWith('.json') && !f.includes('grades'));
    expect(stored.length).toBe(4);
    for (const f of stored) expect(readFileSync(f, 'utf8')).toContain('[redacted]');
  }, 60_000);

  it('an error event mid-stream quoting the key (Anthropic), then the answer: no key', async () => {
    const o = await run((req) => (req.vendor === 'anthropic' && req.attempt === 0 ? { streamError: 'api_error', message: `upstream rejected key ${req.apiKey}` } : undefined), { scenarios: 'ecommerce-hybrid' });
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(emu.requests.filter((r) => r.vendor === 'anthropic')).toHaveLength(2);
  }, 60_000);

  it("a gateway error naming its own keys, with control characters and pipes: masked by shape, tables and XML intact", async () => {
    const gatewayKey = `sk-live-${hex()}`;
    const bearer = `gwb${hex()}`;
    const o = await run(
      (req) => (req.user.includes('PCI') || req.user.includes('card') ? { status: 400, message: `upstream said Authorization: Bearer ${bearer} | key ${gatewayKey} |col\u0000nul\u001b[2Jesc\nnext line\r| x |` } : undefined),
    );
    checkCommon(o, [gatewayKey.slice(-32), bearer]);
    expect(o.code).toBe(0);
    const md = report(o, 'report.md');
    expect(md).toMatch(/upstream said Authorization: Bearer \[redacted\] \\\| key \[redacted\] \\\|col\uFFFDnul\uFFFD\[2Jesc next line \\\| x \\\|/);
  }, 60_000);

  it.each([
    ['OPENAI_BASE_URL', (pw: string) => ({ env: { OPENAI_BASE_URL: emu.openai.baseURL.replace('http://', `http://alice:${pw}@`) } }), /^promptgate: OPENAI_BASE_URL: http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/v1 carries credentials/],
    ["the suite's baseURL", (pw: string) => ({ extraModel: `, baseURL: "${emu.openai.baseURL.replace('http://', `http://alice:${pw}@`)}"` }), /^promptgate: the suite's baseURL of gpt-5\.6-terra: http:\/\/\[redacted\]@/],
  ])('a base URL with user:password@ in %s: exit 2, one line, the password nowhere', async (_where, opts, line) => {
    const o = await run(undefined, opts(SECRETS.password));
    checkCommon(o);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(line);
    expect(emu.requests).toHaveLength(0);
  }, 60_000);
});

describe('fault matrix: answers classified honestly', () => {
  it('an OpenAI answer "incomplete (interrupted)" once: retried, and the finished answer is the one graded', async () => {
    const o = await run((req) => (req.vendor === 'openai' && req.attempt === 0 ? { text: '# Half', incomplete: 'interrupted' } : undefined));
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(cells(o).map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(cells(o).filter((c) => c.provider === 'openai').every((c) => c.stopReason === 'completed')).toBe(true);
    expect(emu.requests.filter((r) => r.vendor === 'openai')).toHaveLength(4);
  }, 60_000);

  it('always incomplete (OpenAI) and always negative usage (Anthropic): every cell an error, exit 1, reasons counted, no negative spend', async () => {
    const o = await run((req) => (req.vendor === 'openai' ? { text: '# Half', incomplete: 'interrupted' } : { text: '# Doc', rawUsage: { input_tokens: 10, output_tokens: -23_000 } }), { scenarios: 'ecommerce-hybrid' });
    checkCommon(o);
    expect(o.code).toBe(1);
    expect(cells(o).map((c) => c.status)).toEqual(['error', 'error']);
    expect(o.stdout).toMatch(/claude-sonnet-5-5\s+1\s+malformed: anthropic: usage output_tokens is -23000; expected a whole number/);
    expect(o.stdout).toMatch(/gpt-5\.6-terra\s+1\s+server: responses: the answer is incomplete \(interrupted\)/);
    expect(o.results!.totals.costUsd).toBeGreaterThanOrEqual(0);
    expect(o.stdout).not.toMatch(/\$-/);
  }, 90_000);

  it('a usage count that is a string once: retried, the cell costs what the good answer says', async () => {
    const o = await run((req) => (req.vendor === 'openai' && req.attempt === 0 ? { text: '# Doc', rawUsage: { input_tokens: '12', output_tokens: 30 } } : undefined), { scenarios: 'ecommerce-hybrid' });
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(cells(o).every((c) => c.status === 'ok' && c.costUsd! > 0)).toBe(true);
    // The answer with the string count was refused, not read as 12.
    expect(emu.requests.filter((r) => r.vendor === 'openai')).toHaveLength(2);
  }, 60_000);

  it('no usage at all (both vendors): the cells are answers whose cost is unknown, never $0', async () => {
    const o = await run(() => ({ text: '# Doc\n\nNo usage in this body.', rawUsage: null }), { scenarios: 'ecommerce-hybrid' });
    checkCommon(o);
    expect(o.code).toBe(0);
    expect(cells(o).every((c) => c.status === 'ok' && c.costUsd === null && c.usage.unreported === true)).toBe(true);
    expect(o.results!.totals.unpricedCells).toBe(2);
    expect(o.results!.summary.every((s) => s.costUsd === null)).toBe(true);
    expect(o.stdout).toMatch(/\+ unknown \(2 cells without a price or token counts\)/);
    expect(report(o, 'report.md')).toMatch(/\| claude-sonnet-5-5 \| 1 \|.*\| unknown \|/);
  }, 60_000);
});
