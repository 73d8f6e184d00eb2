// Sharded runs end to end, as a CI matrix runs them: `eval --shard i/n` on each share (each with
// its own store, as separate jobs have), the stores put together, `merge`, then `gate` — against
// the emulators through the real bin. The merged run must hold exactly the cells, scores and
// verdict of the same suite run in one piece.

import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../testing/cli.ts';
import { evalCli, readResults, runIds, suiteFolder, TEST_KEYS } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const emu = useEmulators();
const SCENARIOS = ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa'];

describe('eval --shard and merge', () => {
  it('three shares merged equal one whole run: same cells, scores and gate verdict; nothing requested twice', async () => {
    const f = suiteFolder({ scenarios: SCENARIOS, samples: 2 });
    const whole = await evalCli(emu, ['--suite', f.suite, '--no-compare']).done;
    expect(whole.code, whole.stderr).toBe(0);
    const [wholeId] = runIds(f.out);
    const requestsWhole = emu.requests.length;

    const shardOut = join(f.dir, 'shards');
    for (const i of [1, 2, 3]) {
      const args = ['--suite', f.suite, '--shard', `${i}/3`, '--store', join(f.dir, `store-${i}`), '--out', join(shardOut, String(i))];
      const r = await evalCli(emu, args).done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${i}/3 of a ${requestsWhole}-cell plan`));
    }
    // Each share asked only for its own cells: the three together, exactly the whole plan again.
    expect(emu.requests.length).toBe(2 * requestsWhole);

    // The CI merge job: every shard's store downloaded into one folder.
    const store = join(f.dir, 'merged-store');
    for (const i of [1, 2, 3]) cpSync(join(f.dir, `store-${i}`), store, { recursive: true });
    const dirs = [3, 1, 2].map((i) => join(shardOut, String(i), readdirSync(join(shardOut, String(i))).find((d) => d !== 'latest' && !d.startsWith('.'))!));
    const mergedOut = join(f.dir, 'merged');
    const merged = await cli(['merge', ...dirs, '--out', mergedOut, '--store', store, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const summary = JSON.parse(merged.stdout);
    expect(summary).toMatchObject({ status: 'complete', missingShards: [], totals: { planned: requestsWhole, finished: requestsWhole, pending: 0 } });

    const a = readResults(f.out, wholeId!);
    const b = readResults(mergedOut, summary.runId);
    const byId = (r: typeof a) => Object.fromEntries(r.cells.map((c) => [c.id, [c.status, c.score, c.pass]]));
    expect(byId(b)).toEqual(byId(a));
    expect(b.summary.map((s) => [s.version, s.model, s.meanScore])).toEqual(a.summary.map((s) => [s.version, s.model, s.meanScore]));

    // The same baseline gates both the same way.
    const baseline = join(f.dir, 'baseline.json');
    const made = await cli(['baseline', 'update', '--run', join(f.out, wholeId!), '--version', '1.1.0', '--out', baseline]);
    expect(made.code, made.stderr).toBe(0);
    const env = { env: { ANTHROPIC_API_KEY: TEST_KEYS.anthropic } };
    const gateWhole = await cli(['gate', '--run', join(f.out, wholeId!), '--baseline', baseline, '--version', '1.2.0', '--json'], undefined, env);
    const gateMerged = await cli(['gate', '--run', join(mergedOut, summary.runId), '--baseline', baseline, '--version', '1.2.0', '--json'], undefined, env);
    expect(gateMerged.code).toBe(gateWhole.code);
    const verdict = (s: string) => (({ status, models }) => ({ status, models: models.map((m: { status: string }) => m.status) }))(JSON.parse(s));
    expect(verdict(gateMerged.stdout)).toEqual(verdict(gateWhole.stdout));
  });

  it('refuses a missing share with one line, and --allow-missing writes an incomplete run', async () => {
    const f = suiteFolder({ scenarios: SCENARIOS.slice(0, 2) });
    const out = join(f.dir, 'shards');
    const r = await evalCli(emu, ['--suite', f.suite, '--shard', '1/2', '--out', out]).done;
    expect(r.code, r.stderr).toBe(0);
    const dir = join(out, runIds(out).find((d) => d !== 'latest')!);
    const refused = await cli(['merge', dir, '--out', join(f.dir, 'm')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/shard 2 of 2 missing/);
    const partial = await cli(['merge', dir, '--out', join(f.dir, 'm'), '--allow-missing', '--json']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(JSON.parse(partial.stdout)).toMatchObject({ status: 'incomplete', missingShards: [2] });
  });

  it('a model that failed every cell of one share but answered in another leaves the merged run complete; failing in both, incomplete', async () => {
    const f = suiteFolder({ scenarios: SCENARIOS.slice(0, 2), samples: 2 });
    const out = join(f.dir, 'shards');
    const share = async (i: number, openaiDown: boolean) => {
      emu.respond = (req) => (openaiDown && req.vendor === 'openai' ? { status: 401, message: 'invalid api key' } : undefined);
      // Each share its own store, as each CI job has: share 2 runs twice, and must ask again.
      const r = await evalCli(emu, ['--suite', f.suite, '--shard', `${i}/2`, '--out', join(out, `${i}-${openaiDown}`), '--store', join(f.dir, `store-${i}-${openaiDown}`), '--json']).done;
      expect(r.code, r.stderr).toBe(openaiDown ? 1 : 0);
      expect(JSON.parse(r.stdout).status).toBe(openaiDown ? 'incomplete' : 'complete');
      return join(out, `${i}-${openaiDown}`, runIds(join(out, `${i}-${openaiDown}`)).find((d) => d !== 'latest')!);
    };
    const [down1, up2, down2] = [await share(1, true), await share(2, false), await share(2, true)];
    const merged = await cli(['merge', down1, up2, '--out', join(f.dir, 'm1'), '--store', f.store, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ status: 'complete', totals: { pending: 0 } });
    const dead = await cli(['merge', down1, down2, '--out', join(f.dir, 'm2'), '--store', f.store, '--json']);
    expect(JSON.parse(dead.stdout)).toMatchObject({ status: 'incomplete', totals: { pending: 0 } });
  });

  it('refuses --shard on a resume and a malformed share, before any request', async () => {
    const f = suiteFolder();
    const bad = await evalCli(emu, ['--suite', f.suite, '--shard', '3/2']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard: "3\/2" is not a share/);
    const resumed = await evalCli(emu, ['--resume', 'any-run', '--shard', '1/2', '--out', f.out]).done;
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/drop --shard/);
    expect(emu.requests.length).toBe(0);
  });
});
