/** Query parameter names whose values are secrets: tokens, tickets, keys, passwords, signatures, sessions. */
const SECRET_NAME =
  /token|ticket|secret|passw|pwd|api[-_]?key|^key$|^auth|signature|^sig$|session|jwt|^code$/i;

/** The redacted stand-in for a secret value. */
export const REDACTED = '[redacted]';

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw; // a malformed escape: match the raw name, which is still checked
  }
}

/**
 * A query string (without `?`) with the value of every secret-looking parameter (`token`, `ticket`,
 * `access_token`, `api_key`, `password`, `signature`, …; case-insensitive, percent-decoded) replaced by
 * `[redacted]`, and the rest kept byte for byte, so it can be logged.
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = at === -1 ? pair : pair.slice(0, at);
      return SECRET_NAME.test(decodedName(name)) && at !== -1 ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

/** A request target (`/path?query#…`) with its secret query values redacted (see {@link redactQuery}). */
export function redactUrl(target: string): string {
  const at = target.indexOf('?');
  return at === -1 ? target : `${target.slice(0, at)}?${redactQuery(target.slice(at + 1))}`;
}
