import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { RECORDED_RESPONSES } from './test/setup/responseRecording.js';

// Every app the tests start records its responses for the drift check `npm test` runs next (test/contract).
const shared = {
  testTimeout: 30_000,
  hookTimeout: 90_000,
  env: { RECORD_RESPONSES_DIR: RECORDED_RESPONSES },
};

export default defineConfig({
  test: {
    reporters: ['default'],
    // Vitest's default, one worker per core but one, is a single worker on 2 cores; most test files spend
    // their time waiting on sockets, timers and child processes, so two of them share 2 cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          ...shared,
          name: 'all',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/setup/pgliteTemplate.ts', 'test/setup/responseRecording.ts'],
          // Only the type tests and what they import: `npm run typecheck` checks the whole project.
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './test/tsconfig.typetests.json',
          },
        },
      },
      {
        test: {
          ...shared,
          name: 'store-on-postgres',
          include: ['test/store/**/*.test.ts'],
          // PGlite only: its own adapter, and the data folder a new embedded store starts from.
          exclude: [
            'test/store/pgliteDb.test.ts',
            'test/store/openStore.test.ts',
            'test/store/initialDataDir.test.ts',
          ],
          env: { ...shared.env, STORE_BACKEND: 'postgres' },
        },
      },
    ],
  },
});
