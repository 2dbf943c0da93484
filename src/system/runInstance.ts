import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { answerMetricsCollects, workerMetricsOptions } from './cluster/workerMetrics.js';
import { createSystem } from './createSystem.js';
import { logStartup } from './logStartup.js';

/**
 * Runs one server instance until a signal: the whole server with WORKERS=1, or cluster worker `worker` (its
 * slot) under a primary. The first SIGTERM or SIGINT shuts down gracefully (see `System.shutdown`) and exits 0.
 * A second signal exits 1 at once in a single process; a worker ignores it, since a terminal's Ctrl-C reaches
 * the worker as well as the primary that passes SIGTERM on, and the primary kills a worker that overstays.
 */
export async function runInstance(config: Config, rootLogger: Logger, worker?: string): Promise<void> {
  const logger = worker ? rootLogger.child({ worker: Number(worker) }) : rootLogger;
  const system = await createSystem(config, {
    logger,
    processMetrics: true,
    ...(worker ? { metrics: workerMetricsOptions(worker) } : {}),
  });
  if (worker) answerMetricsCollects(system.metrics.registry);
  logStartup(system, await system.listen());

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (worker) return;
      logger.warn({ signal }, 'second signal while shutting down; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, openStreams: system.openStreams.size }, 'shutting down');
    system.shutdown().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
