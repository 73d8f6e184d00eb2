import { measureLive } from '../bench/runner/live.ts';
const r = await measureLive({ scenarios: ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa'], samples: 50, concurrency: 16, latencyMs: 50, rounds: Number(process.env.ROUNDS ?? 2) });
for (const [k, v] of Object.entries(r)) console.log(k, JSON.stringify(v));
