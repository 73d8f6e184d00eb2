#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx), so that `npx promptgate` works in a
// fresh clone right after `npm ci`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
// `promptgate grade doc.md | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
