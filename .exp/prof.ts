// Profile one promptgate live run (400 cells) with --cpu-prof.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startEmulators } from '../src/testing/emulators.ts';
import { bin, shortDocument, temp, writeSuite } from '../bench/runner/util.ts';
import { spawn } from 'node:child_process';
let serial = 0;
const emu = await startEmulators({ latencyMs: 50, respond: (req) => ({ text: shortDocument(++serial, req.user) }) });
const dir = temp('prof');
const suite = writeSuite(dir, { scenarios: ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa'], models: [{ model: 'gpt-5.6-terra', concurrency: 16 }], samples: 50, store: join(dir, 'store'), out: join(dir, 'runs') });
const extra = (process.env.NODE_FLAGS ?? '--cpu-prof --cpu-prof-dir=/work/main/.exp/prof').split(' ').filter(Boolean);
const t = performance.now();
const child = spawn(process.execPath, [...extra, bin, 'eval', '--suite', suite, '--json'], { env: { ...process.env, OPENAI_API_KEY: 'sk-bench-0123456789abcdefghijklmnopqrstuv', OPENAI_BASE_URL: emu.openai.baseURL, ANTHROPIC_API_KEY: '' }, stdio: ['ignore', 'ignore', 'inherit'] });
await new Promise((r) => child.on('close', r));
console.log('wall', Math.round(performance.now() - t), 'requests', emu.requests.length);
await emu.close();
