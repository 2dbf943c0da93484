import { type Logger, pino } from 'pino';
import type { Config } from '../config/index.js';
import { LOG_REDACTION } from '../http/middleware/logRedaction.js';

/** The process's JSON logger at `LOG_LEVEL`, with credentials and ticket query values redacted. */
export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: LOG_REDACTION });
}
