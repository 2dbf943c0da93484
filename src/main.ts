import { setFlagsFromString } from 'node:v8';
import { readConfig } from './config/index.js';
import { createLogger, createSystem, logStartup } from './system/index.js';

// The embedded database (PGlite) is Postgres compiled to WebAssembly. V8 compiles it twice by default: at once
// with its baseline compiler (Liftoff), then again optimised (TurboFan) on background threads, ~1 s of CPU
// at every start. Liftoff alone starts ~40 % faster, and queries of this catalog measured no slower
// (bench/STARTUP.md). Set before the first WebAssembly module is compiled, which is when the store opens.
setFlagsFromString('--liftoff-only');

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
