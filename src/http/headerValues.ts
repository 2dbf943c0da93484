import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/**
 * Every value a request header was sent with, in order; `undefined` when it was not sent. HTTP/1.1 requests
 * have them in `headersDistinct`; node:http2's compatibility request has no `headersDistinct`, so HTTP/2 ones
 * are read from `rawHeaders` (whose names HTTP/2 requires in lower case).
 */
export function headerValues(
  request: IncomingMessage | Http2ServerRequest,
  name: Lowercase<string>,
): string[] | undefined {
  if ('headersDistinct' in request) return request.headersDistinct[name];
  const values: string[] = [];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i] === name) values.push(raw[i + 1]!);
  return values.length > 0 ? values : undefined;
}
