// Self and inclusive time per function within a time window [from, to] ms from profile start.
import { readFileSync } from 'node:fs';
const [file, from, to, n] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 40)];
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const name = (x) => { const cf = x.callFrame; return `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-1)[0]}:${cf.lineNumber}`; };
const self = new Map(), incl = new Map();
let t = 0, total = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i] / 1000;
  if (t < from || t > to) continue;
  const d = (p.timeDeltas[i + 1] ?? 0) / 1000; total += d;
  let x = byId.get(p.samples[i]);
  self.set(name(x), (self.get(name(x)) ?? 0) + d);
  const seen = new Set();
  while (x) { const k = name(x); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + d); } x = byId.get(parent.get(x.id)); }
}
console.log(`window ${from}-${to}: ${total.toFixed(0)} ms sampled, profile length ${t.toFixed(0)}`);
console.log('--- inclusive'); for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(v.toFixed(1).padStart(8), k);
console.log('--- self'); for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(v.toFixed(1).padStart(8), k);
