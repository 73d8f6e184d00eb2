// End to end: a model that answers with pathological markdown. `promptgate eval` in a child
// process against the emulator: an answer of nested `>` and `*` runs (it overflowed the stack,
// and every such cell became "grading failed") is graded; an answer over the document size cap
// is that cell's grading error, saying so — and the rest of the run is unaffected.

import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../graders/limits.ts';
import { readJsonFile } from '../files.ts';
import { root, tempDir } from '../testing/cli.ts';
import { startEmulators, type Emulators } from '../testing/emulators.ts';
import type { Results } from './results.ts';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ latencyMs: 5 });
});
afterAll(() => emu.close());

const NESTED = `# Design\n\n${'>'.repeat(5 * 1024)}\n\n${'> '.repeat(2048)}x\n\n${'*a'.repeat(8 * 1024)}\n\n${'1,'.repeat(16 * 1024)}\n`;
const HUGE = `# Design\n\n${'word '.repeat(MAX_DOCUMENT_BYTES / 5 + 100)}\n`;

describe('eval with pathological answers', () => {
  it('grades nested and run-heavy markdown, and records an over-cap answer as that cell’s grading error', async () => {
    const dir = tempDir();
    const suite = join(dir, 'suite.yaml');
    writeFileSync(
      suite,
      `prompt: pipeline-design-architect
versions: 1.1.0
models:
  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 1, maxTokens: 1000000 }
scenarios: [ecommerce-hybrid, payments-pci]
samples: 1
references: false
store: ${join(dir, 'store')}
out: ${join(dir, 'runs')}
`,
    );
    emu.respond = (req) => ({ text: req.user.includes('payments') || req.user.includes('PCI') ? HUGE : NESTED });
    const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), 'eval', '--suite', suite], {
      cwd: root,
      env: { ...process.env, ANTHROPIC_API_KEY: 'fake-anthropic-key-for-tests-1b2c3d4e', ANTHROPIC_BASE_URL: emu.anthropic.baseURL },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/internal error|Maximum call stack/);
    expect(code, stderr).not.toBe(3);

    const runs = join(dir, 'runs');
    const [id] = readdirSync(runs);
    const results = readJsonFile(join(runs, id!, 'results.json')) as Results;
    const cells = results.cells.filter((c) => c.provider !== 'reference');
    expect(cells).toHaveLength(2);
    const nested = cells.find((c) => c.scenario === 'ecommerce-hybrid')!;
    const huge = cells.find((c) => c.scenario === 'payments-pci')!;
    expect(nested.status, nested.error ?? '').not.toBe('error');
    expect(nested.score).toBeTypeOf('number');
    expect(huge.status).toBe('error');
    expect(huge.error).toMatch(/^grading failed: the document is 1\.0 MiB, over the 1 MiB grading limit; not graded/);
  }, 120_000);
});
