import { readConfig } from './config/index.js';
import { compileWasmWithLiftoffOnly, createLogger, createSystem, logStartup } from './system/index.js';

compileWasmWithLiftoffOnly();
const config = readConfig();
const logger = createLogger(config);
const system = await createSystem(config, { logger, processMetrics: true });
logStartup(system, await system.listen());

let stopping = false;
/** The first signal shuts down gracefully (see `System.shutdown`) and exits 0; a second exits 1 at once. */
function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
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
}
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
