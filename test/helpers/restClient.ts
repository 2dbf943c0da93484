import { bearer, type TokenOptions } from './accessTokens.js';

/** A request to the app: `body`, when given, is sent as JSON. */
export type Send = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response>;

/**
 * `fetch` against one base URL, with JSON bodies; with `userId`, every request carries a test access token of
 * that user (`Authorization: Bearer …`, made with `token`, e.g. its staff `scopes`) unless its own headers say
 * otherwise.
 */
export function restClient(baseUrl: string, userId?: string, token: TokenOptions = {}): Send {
  let auth: Promise<Record<string, string>> | undefined;
  return async (method, path, body, headers = {}) => {
    auth ??= userId === undefined ? Promise.resolve({}) : bearer(userId, token);
    const all = { ...(await auth), ...headers };
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? all : { 'content-type': 'application/json', ...all },
      body: body === undefined ? null : JSON.stringify(body),
    });
  };
}
