#!/usr/bin/env node
// The `promptgate` command. It runs a bundle of the sources (bin/bundle.js: built on first use
// and whenever a source changes, so `npx promptgate` works in a fresh clone right after
// `npm ci` with no build step to forget). PROMPTGATE_NO_BUNDLE=1 runs the TypeScript sources
// through tsx instead: slower to start, but stack traces name the source lines.
import { bundledEntry } from './bundle.js';

// `promptgate grade doc.md | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const bundle = process.env.PROMPTGATE_NO_BUNDLE === '1' ? null : await bundledEntry();
let main;
if (bundle) ({ main } = await import(bundle.entry));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
