import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root, tempDir } from '../testing/cli.ts';
import { loadScenarios, selectScenarios } from './load.ts';

const dir = join(root, 'datasets/scenarios');
const { scenarios, problems } = loadScenarios(dir);
const byId = (id: string) => scenarios.find((s) => s.id === id)!;

describe('the shipped scenarios', () => {
  it('are at least 16, all valid', () => {
    expect(problems).toEqual([]);
    expect(scenarios.length).toBeGreaterThanOrEqual(16);
  });

  it('include the cases the product needs', () => {
    const ids = scenarios.map((s) => s.id);
    for (const id of ['ecommerce-hybrid', 'startup-lean-analytics', 'healthcare-hipaa', 'payments-pci', 'eu-customer-gdpr', 'iot-telemetry-late-data', 'cdc-schema-evolution', 'legacy-etl-lakehouse-migration', 'finance-close-onprem-batch', 'ml-feature-point-in-time', 'saas-multitenant-analytics', 'adtech-extreme-volume', 'minimal-required-inputs', 'conflicting-latency-budget']) {
      expect(ids).toContain(id);
    }
  });

  it('ecommerce-hybrid is the seed example input verbatim', () => {
    const seed = readFileSync(join(root, 'datasets/seed/pipeline-design-architect.md'), 'utf8');
    const input = seed.slice(seed.indexOf('### Input\n\n') + 11, seed.indexOf('\n\n### Output'));
    expect(byId('ecommerce-hybrid').message).toBe(input);
  });

  it('regulated scenarios name their regime; the startup names its over-engineering', () => {
    const regimes = (id: string) => (byId(id).facts.compliance ?? []).map((c) => c.name).join(' ');
    expect(regimes('healthcare-hipaa')).toMatch(/HIPAA/);
    expect(regimes('payments-pci')).toMatch(/PCI/);
    expect(regimes('eu-customer-gdpr')).toMatch(/GDPR/);
    const over = byId('startup-lean-analytics').expectations.overEngineering.map((t) => t.name);
    expect(over).toEqual(expect.arrayContaining(['Kafka', 'Flink', 'Spark']));
  });

  it('minimal-required-inputs gives none of the optional inputs', () => {
    const f = byId('minimal-required-inputs').facts;
    expect([f.technologyPreferences, f.team, f.scaleTarget, f.monthlyBudgetUsd, f.compliance, f.deployment]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('conflicting-latency-budget wants sub-second latency on a small budget', () => {
    const f = byId('conflicting-latency-budget').facts;
    expect(Math.min(...f.latency.map((l) => l.seconds))).toBeLessThanOrEqual(1);
    expect(f.monthlyBudgetUsd).toBeLessThanOrEqual(500);
  });

  it('tag "smoke" picks 3 or 4 scenarios of different processing modes', () => {
    const smoke = selectScenarios(scenarios, 'tag:smoke');
    expect(smoke.length).toBeGreaterThanOrEqual(3);
    expect(smoke.length).toBeLessThanOrEqual(4);
    expect(new Set(smoke.map((s) => s.facts.processing)).size).toBeGreaterThanOrEqual(2);
  });

  it('selects by ids, and names the closest for an unknown id or tag', () => {
    expect(selectScenarios(scenarios, 'payments-pci,ecommerce-hybrid').map((s) => s.id)).toEqual(['payments-pci', 'ecommerce-hybrid']);
    expect(() => selectScenarios(scenarios, 'payment-pci')).toThrow('unknown scenario "payment-pci"; closest: payments-pci');
    expect(() => selectScenarios(scenarios, 'tag:smok')).toThrow(/no scenario has tag "smok"; closest: smoke/);
  });
});

describe('promptgate dataset lint', () => {
  it('passes the shipped dataset', async () => {
    const { code, stdout } = await cli(['dataset', 'lint']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ scenarios OK/);
  });

  const broken: Array<[string, (dir: string) => void, RegExp]> = [
    ['a YAML syntax error, with file:line', (d) => writeFileSync(join(d, 'payments-pci.yaml'), 'id: payments-pci\ntitle: [unclosed\n'), /payments-pci\.yaml:\d+:\d+: YAML syntax error/],
    ['a schema violation, with its pointer', (d) => edit(d, 'payments-pci', (t) => t.replace(/^  processing: \w+$/m, '  processing: realtime')), /payments-pci\.yaml: \/facts\/processing: expected/],
    ['a missing field', (d) => edit(d, 'payments-pci', (t) => t.replace(/^title: .*$/m, '')), /payments-pci\.yaml: \/: missing field "title"/],
    ['a file name that is not the id', (d) => edit(d, 'payments-pci', (t) => t.replace('id: payments-pci', 'id: payments-pci-2')), /payments-pci\.yaml: \/id: "payments-pci-2" does not match the file name; expected "payments-pci"/],
  ];
  it.each(broken)('exits 2 for %s', async (_name, breakIt, message) => {
    const d = copy();
    breakIt(d);
    const { code, stderr } = await cli(['dataset', 'lint', '--dir', d]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 for a duplicate id, naming both files', async () => {
    const d = copy();
    cpSync(join(d, 'payments-pci.yaml'), join(d, 'payments-pci.yml'));
    const { code, stderr } = await cli(['dataset', 'lint', '--dir', d]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/payments-pci\.yml: \/id: duplicate id "payments-pci", also in .*payments-pci\.yaml/);
  });

  it('grade --scenario names the closest scenario for a typo', async () => {
    const { code, stderr } = await cli(['grade', 'datasets/calibration/refusal.md', '--scenario', 'helthcare-hipaa']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown scenario "helthcare-hipaa" in datasets\/scenarios; closest: healthcare-hipaa/);
  });
});

function copy(): string {
  const d = join(tempDir(), 'scenarios');
  cpSync(dir, d, { recursive: true });
  return d;
}

function edit(d: string, id: string, change: (text: string) => string): void {
  const file = join(d, `${id}.yaml`);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}
