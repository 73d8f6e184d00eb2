// The bundle bin/promptgate.js runs must never be stale: its key follows every source file.

import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
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
    const bundle = await bundledEntry();
    expect(bundle?.entry).toBe(join(root, 'dist', bundleKey(), 'cli.mjs'));
  });
});

describe('bundledEntry', () => {
  it('builds once when several processes start together, and they all run the same bundle', async () => {
    const dist = join(tempDir(), 'dist');
    const script = `const { bundledEntry } = await import(${JSON.stringify(join(root, 'bin/bundle.js'))}); const b = await bundledEntry(${JSON.stringify(dist)}); const { main } = await import(b.entry); let out = ''; await main(['--version'], { out: (t) => (out += t), err: () => {}, tty: false }); console.log(JSON.stringify({ ...b, out }));`;
    const start = () =>
      new Promise<{ entry: string; built: boolean; out: string }>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout)))),
      );
    const runs = await Promise.all([start(), start(), start()]);
    expect(runs.filter((r) => r.built)).toHaveLength(1);
    expect(new Set(runs.map((r) => r.entry))).toEqual(new Set([join(dist, bundleKey(), 'cli.mjs')]));
    expect(runs.every((r) => r.out === 'promptgate 0.1.0\n')).toBe(true);
    expect(readdirSync(dist)).toEqual([bundleKey()]); // no lock or temporary folder left behind
  }, 60_000);
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
