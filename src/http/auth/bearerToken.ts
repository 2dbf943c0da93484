import type { Context } from 'koa';
import { AuthenticationProblem } from '../errors/index.js';
import { headerValues } from '../request/headerValues.js';

/** RFC 6750 §2.1: `Bearer` (any case), then a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The bearer token of the request's `Authorization` header, or `undefined` when it has none. Throws a 400
 * (`invalid_request`) for several Authorization headers, and a 401 for another scheme or a malformed token.
 */
export function bearerToken(ctx: Context): string | undefined {
  const headers = headerValues(ctx.req, 'authorization');
  if (headers === undefined) return undefined;
  if (headers.length > 1) {
    throw new AuthenticationProblem('invalid_request', 'Send one Authorization header, not several.');
  }
  const header = headers[0] ?? '';
  if (!/^bearer(?: |$)/i.test(header)) {
    throw new AuthenticationProblem(
      undefined,
      'Only Bearer access tokens are accepted: Authorization: Bearer <token>.',
    );
  }
  const match = BEARER.exec(header);
  if (!match) throw new AuthenticationProblem('invalid_token', 'The access token is not a valid JWT.');
  return match[1];
}
