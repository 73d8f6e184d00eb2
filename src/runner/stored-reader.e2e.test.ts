// A run big enough to read its stored cells on other threads (READER_MIN_CELLS), through the
// real bin: the bundle's own stored-worker.mjs starts (a reader that cannot start would say so
// on stderr and read on the main thread), a live run of that size still requests every cell,
// and its re-run requests nothing, grades nothing, and records the same results.

import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { evalCli, readResults, runIds, suiteFolder } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { READER_MIN_CELLS } from './stored-reader.ts';

const emu = useEmulators();

it(`reads ${READER_MIN_CELLS} stored cells on reader threads, from the bundle, exactly as the live run recorded them`, async () => {
  const scenarios = ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa', 'eu-customer-gdpr'];
  // 2 versions × 5 scenarios × 1 model × 100 samples
  const f = suiteFolder({ scenarios, samples: READER_MIN_CELLS / 10, models: '  - { provider: openai, model: gpt-5.6-terra, concurrency: 16 }' });
  let n = 0;
  emu.respond = () => ({ text: `# Pipeline ${n}\n\n## Architecture\n\nAnswer ${n++}, ${n % 3 ? 'batch' : 'streaming'}.\n` });
  const live = await evalCli(emu, ['--suite', f.suite, '--no-compare', '--json']).done;
  expect(live.code, live.stderr).toBe(0);
  expect(emu.requests).toHaveLength(READER_MIN_CELLS);
  const gradesFile = join(f.store, 'grades', readdirSync(join(f.store, 'grades'))[0]!);
  const graded = statSync(gradesFile).size;

  const again = await evalCli(emu, ['--suite', f.suite, '--no-compare', '--json']).done;
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).not.toMatch(/store reader|warning/);
  expect(emu.requests).toHaveLength(READER_MIN_CELLS);
  expect(statSync(gradesFile).size).toBe(graded);
  const [first, second] = runIds(f.out).filter((d) => d !== 'latest').map((id) => readResults(f.out, id));
  const view = (r: typeof first) => r!.cells.map((c) => [c.id, c.status, c.score, c.pass, c.grades, c.usage, c.latencyMs]).sort();
  expect(second!.cells.every((c) => c.cached)).toBe(true);
  expect(view(second)).toEqual(view(first));
}, 120_000);
