import type { Logger } from 'pino';

/** Faults that repeat while a service is down are logged at most this often, per kind. */
const REPORT_EVERY_MS = 10_000;

/** Logs a recurring warning at most once per REPORT_EVERY_MS. */
export function throttledWarning(logger: Logger, message: string): (error: unknown) => void {
  let last = 0;
  return (error) => {
    if (Date.now() - last < REPORT_EVERY_MS) return;
    last = Date.now();
    logger.warn({ err: error }, message);
  };
}
