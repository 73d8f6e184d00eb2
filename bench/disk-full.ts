// A REAL full disk, by hand (needs root: it mounts a 512 KB tmpfs for the response store, fills
// it but `ROOM` KB, and runs `promptgate eval` of 24 cells against the emulators). The test suite
// injects the same faults portably (src/runner/faults.e2e.test.ts); this checks the real thing.
//
//   sudo npx tsx bench/disk-full.ts freed   # space comes back 2 s into the run: nothing lost
//   sudo npx tsx bench/disk-full.ts never   # it does not (WIN s of holding): the lost are counted
//
// Prints the exit code, the requests sent, temp files left, the run's last line, and the same
// after a --resume once space is back. Environment: ROOM (KB left free, default 24), WIN (the
// write-retry window of `never`, default 2).

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators } from '../src/testing/emulators.ts';
import { walk } from '../src/testing/eval-cli.ts';

const root = join(import.meta.dirname, '..');
const mode = process.argv[2] === 'never' ? 'never' : 'freed';
const emu = await startEmulators({ latencyMs: 80 });
const dir = mkdtempSync(join(tmpdir(), 'promptgate-disk-full-'));
const mnt = join(dir, 'mnt');
mkdirSync(mnt);
execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt]);
try {
  const store = join(mnt, 'store');
  mkdirSync(store);
  const avail = Number(execFileSync('df', ['--output=avail', '-B1', mnt]).toString().trim().split('\n').at(-1));
  const filler = join(mnt, 'filler');
  writeFileSync(filler, Buffer.alloc(avail - Number(process.env.ROOM ?? 24) * 1024));
  const suite = join(dir, 'suite.yaml');
  const out = join(dir, 'runs');
  writeFileSync(suite, `prompt: pipeline-design-architect\nversions: all\nmodels:\n  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 2 }\n  - { provider: openai, model: gpt-5.6-terra, concurrency: 2 }\nscenarios: ecommerce-hybrid,startup-lean-analytics,payments-pci\nsamples: 2\nstore: ${store}\nout: ${out}\nreferences: false\n`);
  let freeing = false;
  emu.respond = () => {
    if (mode === 'freed' && !freeing && emu.requests.length === 5) {
      freeing = true;
      setTimeout(() => rmSync(filler, { force: true }), 2000);
    }
    return undefined;
  };
  const env = { ...process.env, ANTHROPIC_API_KEY: 'disk-full-a', OPENAI_API_KEY: 'disk-full-o', ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, PROMPTGATE_WRITE_RETRY_SECONDS: mode === 'freed' ? '30' : (process.env.WIN ?? '2') };
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), 'eval', ...args], { cwd: root, env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  const report = (what: string, r: { code: number | null; stderr: string }) => {
    const temps = walk(mnt).filter((f) => f.endsWith('.tmp')).length;
    console.log(`[${mode}] ${what}: exit ${r.code}; ${emu.requests.length} requests so far (24 cells); ${temps} temp files left`);
    console.log(`  ${r.stderr.trimEnd().split('\n').at(-1)}`);
  };
  report('run', await run(['--suite', suite]));
  rmSync(filler, { force: true });
  const [id] = readdirSync(out);
  report('resume', await run(['--resume', id!, '--out', out]));
} finally {
  execFileSync('umount', [mnt]);
  await emu.close();
}
