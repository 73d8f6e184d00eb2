// The SDKs log on their own (warnings by default; requests and responses with OPENAI_LOG /
// ANTHROPIC_LOG=debug), straight to the console. They mask the request's auth headers, not a
// response body that echoes them: every line they write goes through redact.ts first.

import { format } from 'node:util';
import { redact } from '../redact.ts';

type Log = (message: string, ...rest: unknown[]) => void;

const to = (write: (line: string) => void): Log => (message, ...rest) => write(redact(format(message, ...rest)));

/** A logger for the SDKs' `logger` option. */
export const redactingLogger: { error: Log; warn: Log; info: Log; debug: Log } = {
  // Through the console, as the SDKs' default logger does: it is where their users look.
  error: to((line) => console.error(line)),
  warn: to((line) => console.warn(line)),
  info: to((line) => console.info(line)),
  debug: to((line) => console.debug(line)),
};
