import type { LoggerOptions } from 'pino';
import { REDACTED } from './redactUrl.js';

/**
 * pino's `redact` option for every logger of the server: should a request's headers, or a credential, ever
 * be logged by mistake, the `Authorization` and `Cookie` headers, tokens and tickets come out as `[redacted]`.
 * (Nothing logs headers today; the request log holds the query string, already redacted by `redactQuery`.)
 */
export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  paths: [
    'authorization',
    'cookie',
    'headers.authorization',
    'headers.cookie',
    'req.headers.authorization',
    'req.headers.cookie',
    'request.headers.authorization',
    'request.headers.cookie',
    'token',
    'accessToken',
    'ticket',
  ],
  censor: REDACTED,
};
