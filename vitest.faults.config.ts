import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite (test/faults/*.faults.ts). Each scenario starts real server processes,
 * its own Redis and its own database, and breaks them; one file at a time, so the scenarios do not starve each
 * other of the machine's cores.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.faults.ts'],
    globalSetup: ['test/faults/globalSetup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
