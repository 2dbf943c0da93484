import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildPgliteTemplate } from '../../scripts/build/pgliteDataDir.js';
import { buildServer } from '../../scripts/build/server.js';

/**
 * The fault suite runs the compiled server, as `npm start` does: build it (skipped when up to date), unless
 * FAULTS_SERVER_ROOT names another checkout to run.
 */
export default async function setup(): Promise<void> {
  if (!process.env.FAULTS_SERVER_ROOT) await Promise.all([buildServer(), buildPgliteTemplate()]);
  await rm(path.resolve(import.meta.dirname, '../../test-artifacts/faults.txt'), { force: true });
}
