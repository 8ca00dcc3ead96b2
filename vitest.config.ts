import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // SIPp and RTP tests bind real ports; files run in separate forks so one crash cannot take the rest down.
    pool: 'forks',
  },
});
