// The environment a test or bench runs the real promptfoo CLI in: everything promptfoo keeps goes
// to `dir`, with no cache, telemetry, update check or sharing — nothing reaches the network.

import { join } from 'node:path';

export function promptfooEnv(dir: string): Record<string, string> {
  return {
    PROMPTFOO_CONFIG_DIR: join(dir, '.promptfoo'),
    PROMPTFOO_CACHE_PATH: join(dir, '.promptfoo-cache'),
    PROMPTFOO_CACHE_ENABLED: 'false',
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_DISABLE_SHARING: '1',
    // No log files: promptfoo 0.121's file logger can throw "write after end" as it exits.
    PROMPTFOO_DISABLE_DEBUG_LOG: '1',
    PROMPTFOO_DISABLE_ERROR_LOG: '1',
    // promptfoo exits 100 when tests fail; emulated answers fail promptgate's graders on purpose.
    PROMPTFOO_PASS_RATE_THRESHOLD: '0',
    NO_COLOR: '1',
  };
}
