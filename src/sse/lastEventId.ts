/** Longest event id accepted and emitted, in bytes. */
export const MAX_EVENT_ID_BYTES = 128;

const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Outcome of {@link resolveLastEventId}: a usable cursor (or none), or why the input is refused. */
export type LastEventIdResult = { ok: true; id: string | undefined } | { ok: false; detail: string };

/**
 * Whether `id` may be used as an SSE event id by this server: 1 to 128 bytes of `[A-Za-z0-9._:-]`.
 * This keeps ids free of CR, LF and NUL and of bytes that make a cross-origin reconnect need a
 * preflight, so every id the server emits is one it accepts back in `Last-Event-ID`.
 */
export function isValidEventId(id: string): boolean {
  return EVENT_ID.test(id);
}

function checked(source: string, id: string): LastEventIdResult {
  if (isValidEventId(id)) return { ok: true, id };
  return {
    ok: false,
    detail:
      `${source} must be 1 to ${MAX_EVENT_ID_BYTES} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'; ` +
      `got ${JSON.stringify(id.slice(0, 40))}${id.length > 40 ? '…' : ''}.`,
  };
}

/**
 * Picks the resume cursor of an SSE request from the `Last-Event-ID` header and a query parameter.
 *
 * - The header wins when present: browsers send it on reconnect, while the query parameter (fixed in
 *   the URL) only serves a first connect that resumes.
 * - An empty header means no cursor (the query is then ignored): an empty `id:` resets the client's
 *   last event id. An empty query value also means no cursor.
 * - A header given more than once (an array of two or more values) is refused; a one-element array
 *   (as from `headersDistinct`) is read as its single value.
 * - Any value that fails {@link isValidEventId} is refused with a `detail` for a 400 problem.
 */
export function resolveLastEventId(
  header: string | readonly string[] | undefined,
  query: string | undefined,
): LastEventIdResult {
  if (Array.isArray(header) && header.length > 1) {
    return { ok: false, detail: 'Last-Event-ID header must be sent at most once.' };
  }
  const single: string | undefined = typeof header === 'string' ? header : header?.[0];
  // [spec] "If the field value is the empty string, set the event stream's last event ID to the empty string"
  if (single === '') return { ok: true, id: undefined };
  if (single !== undefined) return checked('Last-Event-ID header', single);
  if (query === undefined || query === '') return { ok: true, id: undefined };
  return checked('lastEventId query parameter', query);
}
