// Test helper: run the real `promptgate` bin in a child process, as a user or CI would.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'promptgate.js');

export interface CliOptions {
  /** Written to the command's standard input (else it is closed at once). */
  input?: string | Buffer;
  /** Added to (or, with undefined, removed from) the environment. */
  env?: Record<string, string | undefined>;
  /** Kill the command after this many ms (a hang shows as code null → -1). */
  timeoutMs?: number;
}

export function cli(args: string[], cwd = root, opts: CliOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = execFile(process.execPath, [bin, ...args], { cwd, env, timeout: opts.timeoutMs ?? 0, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : error.killed ? -1 : 1) : 0, stdout, stderr });
    });
    child.stdin?.on('error', () => {}); // a command that stops reading early (a size cap) closes the pipe
    child.stdin?.end(opts.input ?? '');
  });
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'promptgate-test-'));
