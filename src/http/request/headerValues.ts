import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/**
 * Every value a request header was sent with, in order; `undefined` when it was not sent. Read from
 * `rawHeaders`, which both protocols have: node:http2's compatibility request has no `headersDistinct`, and on
 * HTTP/1.1 `headersDistinct` would build a map that stays cached on the request for as long as a stream lives.
 */
export function headerValues(
  request: IncomingMessage | Http2ServerRequest,
  name: Lowercase<string>,
): string[] | undefined {
  let values: string[] | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== name) continue;
    values ??= [];
    values.push(raw[i + 1]!);
  }
  return values;
}
