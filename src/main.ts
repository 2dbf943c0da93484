import cluster from 'node:cluster';
import { readConfig } from './config/index.js';
import {
  compileWasmWithLiftoffOnly,
  createLogger,
  runInstance,
  runPrimary,
  WORKER_SLOT_ENV,
} from './system/index.js';

compileWasmWithLiftoffOnly();
const config = readConfig();
const logger = createLogger(config);
// WORKERS > 1: this process is the primary and forks the workers, which run this module again as instances.
if (config.workers > 1 && cluster.isPrimary) await runPrimary(config, logger);
else await runInstance(config, logger, cluster.isWorker ? process.env[WORKER_SLOT_ENV] : undefined);
