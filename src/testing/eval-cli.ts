// Test helper for end-to-end runs of `promptgate eval`: a suite in a temp folder pointed at the
// emulators, the real bin in a child process (so signals, exit codes and stderr are the user's),
// and readers for what a run leaves on disk.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../runner/results.ts';
import { root, tempDir } from './cli.ts';
import type { Emulators } from './emulators.ts';

export const TEST_KEYS = { anthropic: 'fake-anthropic-key-for-tests-5f6a7b8c', openai: 'fake-openai-key-for-tests-3d2c1b0a' };

export interface SuiteFolder {
  dir: string;
  suite: string;
  out: string;
  store: string;
}

/** A suite of 2 versions × `scenarios` × 2 models × `samples`, its store and runs in a temp folder. */
export function suiteFolder(opts: { scenarios?: string[]; samples?: number; extra?: string; models?: string } = {}): SuiteFolder {
  const dir = tempDir();
  const suite = join(dir, 'suite.yaml');
  const models = opts.models ?? '  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 2 }\n  - { provider: openai, model: gpt-5.6-terra, concurrency: 2 }';
  writeFileSync(
    suite,
    `prompt: pipeline-design-architect
versions: all
models:
${models}
scenarios: ${(opts.scenarios ?? ['ecommerce-hybrid', 'startup-lean-analytics']).join(',')}
samples: ${opts.samples ?? 1}
store: ${join(dir, 'store')}
out: ${join(dir, 'runs')}
references: false
${opts.extra ?? ''}`,
  );
  return { dir, suite, out: join(dir, 'runs'), store: join(dir, 'store') };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `promptgate eval ARGS` against the emulators; `done` settles when the process exits. */
export function evalCli(emu: Emulators, args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), 'eval', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: TEST_KEYS.anthropic, OPENAI_API_KEY: TEST_KEYS.openai, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** The last line of stderr: where a command that fails says why. */
export const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

/** A stack trace, or the "internal error" preamble, anywhere in the text. */
export const hasStackTrace = (text: string) => /internal error|^\s+at .+:\d+:\d+\)?$/m.test(text);

export function runIds(out: string): string[] {
  return existsSync(out) ? readdirSync(out).sort() : [];
}

export function readResults(out: string, id: string): Results {
  return JSON.parse(readFileSync(join(out, id, 'results.json'), 'utf8')) as Results;
}

export function journalLines(out: string, id: string): Array<Record<string, unknown>> {
  const file = join(out, id, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Every file under `dir`, recursively. */
export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
