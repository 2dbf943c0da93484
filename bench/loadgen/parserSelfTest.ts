import { HttpSseParser, type SseEvent } from './HttpSseParser.js';

/** `body` as HTTP/1.1 chunks of the given sizes, in turn, then the last chunk. */
function chunked(body: string, sizes: readonly number[]): string {
  let out = '';
  for (let at = 0, i = 0; at < body.length; i++) {
    const size = Math.min(sizes[i % sizes.length]!, body.length - at);
    out += `${size.toString(16)}\r\n${body.slice(at, at + size)}\r\n`;
    at += size;
  }
  return `${out}0\r\n\r\n`;
}

/**
 * Checks the load generator's HTTP/SSE parser before any figure depends on it: three responses on one
 * kept-alive connection (frames spread over odd chunk sizes, LF, CRLF and CR line ends, a comment, a
 * multi-line data, a Content-Length error answer), fed whole and cut at every 1, 2, 3, 5, 7, 13 and 64
 * characters. Throws on any difference.
 */
export function parserSelfTest(): void {
  const stream =
    'retry: 1500\n\nid: 1\nevent: a\ndata: {"x":1}\n\n: heartbeat\n\nid: 2\r\ndata: one\r\ndata: two\r\n\r\n' +
    'id: 3\rdata: cr\r\r';
  const recommendations =
    'id: r.1\nevent: recommendation\ndata: {}\n\nid: r.complete\nevent: complete\ndata: {"total":1}\n\n';
  const wire =
    `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(stream, [7, 1, 30, 2])}` +
    'HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!' +
    `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${chunked(recommendations, [1000])}`;
  const expected = JSON.stringify([
    [200],
    ['1', 'a', '{"x":1}'],
    ['2', 'message', 'one\ntwo'],
    ['3', 'message', 'cr'],
    ['end'],
    [404],
    ['end'],
    [200],
    ['r.1', 'recommendation', '{}'],
    ['r.complete', 'complete', '{"total":1}'],
    ['end'],
  ]);
  for (const step of [1, 2, 3, 5, 7, 13, 64, wire.length]) {
    const seen: unknown[] = [];
    const parser = new HttpSseParser({
      head: (status) => seen.push([status]),
      event: (event: SseEvent) => seen.push([event.id, event.event, event.data]),
      end: () => seen.push(['end']),
    });
    for (let at = 0; at < wire.length; at += step) parser.feed(wire.slice(at, at + step));
    if (JSON.stringify(seen) !== expected) {
      throw new Error(
        `HttpSseParser self-test failed, fed ${step} characters at a time: ${JSON.stringify(seen)}`,
      );
    }
  }
}
