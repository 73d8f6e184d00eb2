// One test file's emulators: started before its tests, closed after them, and reset before each
// test (requests forgotten, the scripting hook cleared), so no test sees another's traffic.
// Returns a stand-in that always speaks for the running emulators, so a file can declare it at
// the top (`const emu = useEmulators()`) although they only start in beforeAll.

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulators, type EmulatorOptions, type Emulators } from './emulators.ts';

export function useEmulators(options: EmulatorOptions = {}): Emulators {
  let current: Emulators | undefined;
  const live = (): Emulators => {
    if (!current) throw new Error('useEmulators: the emulators start in beforeAll; use them inside a test or hook');
    return current;
  };
  beforeAll(async () => void (current = await startEmulators(options)));
  afterAll(() => current?.close());
  beforeEach(() => {
    live().reset();
    live().respond = undefined;
  });
  return new Proxy({} as Emulators, { get: (_, key) => Reflect.get(live(), key), set: (_, key, value) => Reflect.set(live(), key, value) });
}
