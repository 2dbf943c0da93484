import cluster from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { runPrimary, WORKER_SLOT_ENV } from './cluster/runPrimary.js';
import { runInstance } from './runInstance.js';

/**
 * Runs the server as `npm start` does: with WORKERS > 1 this process becomes the primary and forks the
 * workers, which run the same entry again and each become an instance (their slot from the primary);
 * otherwise this process is the one instance.
 */
export function runServer(config: Config, logger: Logger): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, logger);
  return runInstance(config, logger, cluster.isWorker ? process.env[WORKER_SLOT_ENV] : undefined);
}
