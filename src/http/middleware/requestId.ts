import type { Context } from 'koa';

/** The response header that carries the request's id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The id the client gave the request (`X-Request-Id`, when plain), else a new one. */
export function requestIdFor(given: string, fresh: () => string): string {
  return REQUEST_ID.test(given) ? given : fresh();
}

/** The id the request logger gave this request, if it ran. */
export function requestIdOf(ctx: Context): string | undefined {
  const id: unknown = ctx.state.requestId;
  return typeof id === 'string' ? id : undefined;
}
