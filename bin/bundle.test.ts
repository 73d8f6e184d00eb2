// The bundle bin/promptgate.js runs must never be stale: its key follows every source file.

import { execFile } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from '../src/testing/cli.ts';
import { bundleKey, bundledEntry } from './bundle.js';

function fakeCheckout() {
  const dir = tempDir();
  for (const sub of ['src/runner', 'src/runner/fixtures', 'graders', 'bin']) mkdirSync(join(dir, sub), { recursive: true });
  for (const file of ['src/cli.ts', 'src/runner/run.ts', 'src/runner/run.test.ts', 'src/runner/fixtures/a.ts', 'src/providers.json', 'graders/sections.ts', 'package-lock.json', 'bin/bundle.js']) writeFileSync(join(dir, file), 'x');
  return dir;
}

describe('bundle key', () => {
  it('changes when a source, the lock file or the bundler changes, not for tests or fixtures', () => {
    const dir = fakeCheckout();
    const key = bundleKey(dir);
    expect(bundleKey(dir)).toBe(key);
    const later = new Date(Date.now() + 5_000);
    for (const file of ['src/runner/run.test.ts', 'src/runner/fixtures/a.ts']) utimesSync(join(dir, file), later, later);
    expect(bundleKey(dir)).toBe(key);
    const seen = new Set([key]);
    for (const file of ['src/runner/run.ts', 'src/providers.json', 'graders/sections.ts', 'package-lock.json', 'bin/bundle.js']) {
      utimesSync(join(dir, file), later, new Date(Date.now() + 10_000 + seen.size));
      const next = bundleKey(dir);
      expect(seen.has(next), file).toBe(false);
      seen.add(next);
    }
    writeFileSync(join(dir, 'graders/new.ts'), 'x');
    expect(seen.has(bundleKey(dir))).toBe(false);
  });

  it('differs between checkouts of the same files (the bundle keeps absolute source paths)', () => {
    expect(bundleKey(fakeCheckout())).not.toBe(bundleKey(fakeCheckout()));
  });

  it('names a built bundle of the current sources', async () => {
    const entry = await bundledEntry();
    expect(entry).toBe(join(root, 'dist', bundleKey(), 'cli.mjs'));
  });
});

describe('bin/promptgate.js', () => {
  it('runs the sources through tsx with PROMPTGATE_NO_BUNDLE=1, as the bundle does', async () => {
    const run = (env: Record<string, string>) =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [join(root, 'bin/promptgate.js'), 'registry', 'list', '--json'], { cwd: root, env: { ...process.env, ...env } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
    const [tsx, bundled] = await Promise.all([run({ PROMPTGATE_NO_BUNDLE: '1' }), run({})]);
    expect(JSON.parse(tsx)).toEqual(JSON.parse(bundled));
    expect(JSON.parse(bundled).length).toBeGreaterThan(0);
  });
});
