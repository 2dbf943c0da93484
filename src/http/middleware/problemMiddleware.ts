import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { DomainError, EventLogUnavailableError, StoreError } from '../../domain/index.js';
import {
  AuthenticationProblem,
  ConflictProblem,
  HttpProblem,
  NotFoundProblem,
  TooManyRequestsProblem,
} from '../errors/index.js';
import { redactUrl } from './redactUrl.js';

const INTERNAL = new HttpProblem(
  'internal_error',
  500,
  'Internal server error',
  'The server failed to answer; it was logged.',
);

/** The problem an error is answered with: refusals keep their meaning, anything else is a 500. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof EventLogUnavailableError) {
    return new HttpProblem(
      'unavailable',
      503,
      'Service unavailable',
      'The event log is unreachable; nothing was changed. Retry shortly.',
    );
  }
  if (error instanceof StoreError && error.code === 'unavailable')
    return new HttpProblem('unavailable', 503, 'Service unavailable', error.message);
  if (error instanceof StoreError && error.code === 'outcome_unknown')
    return new HttpProblem('outcome_unknown', 503, 'Service unavailable', error.message);
  if (error instanceof DomainError || error instanceof StoreError) {
    if (error.code === 'not_found') return new NotFoundProblem(error.message);
    if (error.code === 'upstream_failed')
      return new HttpProblem('bad_gateway', 502, 'Bad gateway', error.message);
    return new ConflictProblem(error.message);
  }
  return INTERNAL;
}

/** Statuses Koa and the routers leave without a body: no route (404), method not allowed (405) or unknown (501). */
const UNROUTED = [404, 405, 501];

function unrouted(ctx: Context): HttpProblem {
  if (ctx.status === 405) {
    const allow = ctx.response.get('Allow');
    return new HttpProblem('method_not_allowed', 405, 'Method not allowed', `${ctx.path} answers ${allow}.`);
  }
  if (ctx.status === 501) {
    return new HttpProblem(
      'not_implemented',
      501,
      'Not implemented',
      `The method ${ctx.method} is not supported.`,
    );
  }
  return new HttpProblem('not_found', 404, 'Not found', `No route for ${ctx.method} ${ctx.path}.`);
}

/**
 * An `OPTIONS` the router answered (200, no content, `Allow`): CORS did not take it, since the CORS middleware
 * answers an allowed origin's preflight itself. The API answers `OPTIONS` only as such a preflight, so this
 * is refused: a preflight from another origin (or with CORS off) with 403, a plain `OPTIONS` with 405; both
 * keep `Allow`, which lists the path's methods.
 */
function optionsOutsideCors(ctx: Context): HttpProblem | undefined {
  if (ctx.method !== 'OPTIONS' || ctx.status !== 200 || !ctx.response.get('Allow')) return undefined;
  const allow = ctx.response.get('Allow');
  const origin = ctx.get('Origin');
  if (origin && ctx.get('Access-Control-Request-Method')) {
    return new HttpProblem(
      'forbidden',
      403,
      'Forbidden',
      `Cross-origin requests from ${origin.slice(0, 200)} are not allowed: CORS_ORIGINS does not list it.`,
    );
  }
  return new HttpProblem(
    'method_not_allowed',
    405,
    'Method not allowed',
    `OPTIONS is answered only as a CORS preflight from an allowed origin; ${ctx.path} answers ${allow}.`,
  );
}

/** Answers with `problem` as `application/problem+json`, with the headers its status calls for. */
export function answerWithProblem(ctx: Context, problem: HttpProblem): void {
  ctx.status = problem.status;
  if (problem.status === 503 || problem.code === 'idempotency_key_in_flight') ctx.set('Retry-After', '1');
  if (problem instanceof TooManyRequestsProblem) ctx.set('Retry-After', String(problem.retryAfterSeconds));
  if (problem instanceof AuthenticationProblem) ctx.set('WWW-Authenticate', problem.wwwAuthenticate);
  ctx.type = 'application/problem+json';
  ctx.body = problem.toBody(redactUrl(ctx.originalUrl));
}

/**
 * Maps every error thrown before the response started to `application/problem+json`. An error after a
 * stream started is the stream's business (it ends with `stream-error`); here it is only logged.
 */
export function problemMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (UNROUTED.includes(ctx.status) && ctx.body === undefined && !ctx.headerSent) throw unrouted(ctx);
      const options = ctx.headerSent ? undefined : optionsOutsideCors(ctx);
      if (options) throw options;
    } catch (error) {
      const problem = toProblem(error);
      if (problem === INTERNAL) logger.error({ err: error, path: ctx.path }, 'request failed');
      if (ctx.headerSent || !ctx.writable) return;
      answerWithProblem(ctx, problem);
    }
  };
}
