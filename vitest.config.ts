import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['graders/**/*.test.ts', 'src/**/*.test.ts', 'bench/**/*.test.ts', 'bin/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
