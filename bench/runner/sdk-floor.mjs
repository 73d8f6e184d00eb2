// The floor of the runner benchmark: the official OpenAI SDK alone sending the same requests
// (every version × scenario × sample, at the same concurrency) and doing nothing else — no
// grading, store, journal, results or reports. Plain JavaScript run by plain node, so it pays
// no start-up but node's and the SDK's. No tool built on the SDK can beat this wall time.
// Usage: node sdk-floor.mjs REQUESTS_JSON MODEL SAMPLES CONCURRENCY (OPENAI_BASE_URL, OPENAI_API_KEY)

import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [file, model, samples, concurrency] = process.argv.slice(2);
const requests = Object.values(JSON.parse(readFileSync(file, 'utf8')));
const jobs = requests.flatMap((r) => Array.from({ length: Number(samples) }, () => r));
const client = new OpenAI({ maxRetries: 0 });
let next = 0;
let failed = 0;
const lane = async () => {
  while (next < jobs.length) {
    const r = jobs[next++];
    try {
      await client.responses.create({ model, instructions: r.system, input: r.user, max_output_tokens: r.maxTokens });
    } catch {
      failed++;
    }
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, lane));
console.log(JSON.stringify({ requests: jobs.length, failed }));
