import type { AccessToken } from './accessToken.js';
import type { RetryPolicy } from './retryPolicy.js';

/**
 * The `fetch` the client calls for every request and stream. Any function with `fetch`'s shape works, e.g.
 * one that adds an `Authorization` header: `(url, init) => fetch(url, { ...init, headers: withToken(init.headers) })`.
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The resolved options every call of one client shares. */
export interface ClientConfig {
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly headers: HeadersInit;
  readonly token: AccessToken | undefined;
  readonly validate: boolean;
  /** Send a new `Idempotency-Key` with each write that takes one. */
  readonly idempotencyKeys: boolean;
  /** How REST calls are retried (`retries: 0`: never). */
  readonly retry: RetryPolicy;
}

/** The client's headers, then each call's, later ones winning per name. */
export function mergeHeaders(...sources: (HeadersInit | undefined)[]): Headers {
  const headers = new Headers();
  for (const source of sources) {
    for (const [name, value] of new Headers(source)) headers.set(name, value);
  }
  return headers;
}
