// The graders' version: a hash of the graders' own source (not their tests or fixtures). Two
// runs graded by the same code carry the same version; any change to a grader changes it, so a
// gate never compares scores that different graders produced.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../src/canonical.ts';

let cached: string | null = null;

export function gradersVersion(): string {
  if (cached) return cached;
  const dir = import.meta.dirname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  cached = sha256(files.map((f) => `${f}\n${readFileSync(join(dir, f), 'utf8')}`).join('\n')).slice(0, 16);
  return cached;
}
