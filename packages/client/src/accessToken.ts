/**
 * An access token sent as `Authorization: Bearer <token>`: the token itself, or a function the client calls
 * before every request and every (re)connect of a stream, so it can hand out a fresh one when the last
 * expired. It may return a promise; `undefined` (or `''`) sends no header.
 */
export type AccessToken = string | (() => string | undefined | Promise<string | undefined>);

/** The `Authorization` header of `token`, or no header. */
export async function authorizationHeader(token: AccessToken | undefined): Promise<Record<string, string>> {
  const value = typeof token === 'function' ? await token() : token;
  return value ? { authorization: `Bearer ${value}` } : {};
}
