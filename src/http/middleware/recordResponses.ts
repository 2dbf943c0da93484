import { appendFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import type Koa from 'koa';

/** The environment variable that turns recording on: the folder the JSON lines go to. */
export const RECORD_RESPONSES_DIR = 'RECORD_RESPONSES_DIR';

/** Bytes of a body kept; a longer body is recorded truncated (and said to be). */
const MAX_BODY_BYTES = 512 * 1024;

/** One response as it went out, one JSON line of `<RECORD_RESPONSES_DIR>/<pid>.jsonl`. */
export interface RecordedResponse {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  httpVersion: string;
  /** The request headers that decide what is answered (content negotiation, body type, resume). */
  request: Record<string, string>;
  status: number;
  /** The response headers as sent, names in lower case. */
  headers: Record<string, string | string[]>;
  /** The body as UTF-8 (an HTTP/1.1 stream's chunked framing removed). */
  body: string;
  truncated: boolean;
  /** False when the response was cut before its end (a stream the client left). */
  finished: boolean;
}

const REQUEST_HEADERS = [
  'accept',
  'content-type',
  'origin',
  'last-event-id',
  'access-control-request-method',
];

type AnyResponse = ServerResponse & { _header?: unknown };
type Write = (...args: unknown[]) => boolean;

/**
 * Records every response of an app to JSON lines when `RECORD_RESPONSES_DIR` is set (the test suite sets it;
 * `npm test` then checks every line against the OpenAPI document, see test/contract/driftCheck.ts); does
 * nothing otherwise. It must be the app's first middleware, and it watches the response from Node's side
 * (status line, headers, bytes written, including a stream's frames that go straight to the socket), so
 * what it records is what the client got, whichever middleware or sink wrote it.
 */
export function recordResponses(app: Koa, dir = process.env[RECORD_RESPONSES_DIR]): void {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}.jsonl`);
  app.use((ctx, next) => {
    const recording = new Recording(ctx.req, ctx.res as AnyResponse);
    ctx.res.once('close', () => appendFileSync(file, `${JSON.stringify(recording.finish())}\n`));
    return next();
  });
}

class Recording {
  readonly #response: AnyResponse;
  readonly #record: RecordedResponse;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  /** True while the response's own methods run: what they write to the socket is not a raw chunk. */
  #inside = false;
  #socket: Socket | undefined;
  #socketWrite: Write | undefined;
  #dechunk = new Dechunker();

  constructor(request: IncomingMessage, response: AnyResponse) {
    this.#response = response;
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    this.#record = {
      method: request.method ?? '',
      url: request.url ?? '',
      httpVersion: request.httpVersion,
      request: headers,
      status: 0,
      headers: {},
      body: '',
      truncated: false,
      finished: false,
    };
    this.#wrap('writeHead', (original, args) => {
      const result = original(...args);
      this.#headersSent(Number(args[0]));
      return result;
    });
    this.#wrap('flushHeaders', (original, args) => original(...args));
    this.#wrap('write', (original, args, outer) => {
      if (outer) this.#keep(args[0], args[1]);
      return original(...args);
    });
    this.#wrap('end', (original, args, outer) => {
      if (outer && typeof args[0] !== 'function') this.#keep(args[0], args[1]);
      return original(...args);
    });
    if (request.httpVersionMajor < 2 && request.socket) this.#watchSocket(request.socket);
  }

  finish(): RecordedResponse {
    if (this.#socket && this.#socketWrite) {
      const socket = this.#socket as unknown as { write: Write };
      if (socket.write !== this.#socketWrite) socket.write = this.#socketWrite;
    }
    if (this.#record.status === 0) this.#headersSent(this.#response.statusCode);
    this.#record.body = Buffer.concat(this.#chunks).toString('utf8');
    this.#record.finished = this.#response.writableFinished;
    return this.#record;
  }

  /**
   * Replaces a method of the response by `wrapper`, which calls the original while `#inside` is set; `outer` is
   * false when another wrapped method called it (HTTP/2's `end` calls `write`), so bytes are kept once.
   */
  #wrap(
    name: 'writeHead' | 'flushHeaders' | 'write' | 'end',
    wrapper: (original: Write, args: unknown[], outer: boolean) => unknown,
  ): void {
    const response = this.#response as unknown as Record<string, Write>;
    const original = response[name]!.bind(response);
    response[name] = (...args: unknown[]) => {
      const outer = !this.#inside;
      this.#inside = true;
      try {
        return wrapper(original, args, outer) as boolean;
      } finally {
        if (outer) this.#inside = false;
      }
    };
  }

  #headersSent(status: number): void {
    this.#record.status = status;
    const raw = this.#response._header;
    this.#record.headers =
      typeof raw === 'string' ? parseHeaderBlock(raw) : lowerCased(this.#response.getHeaders());
  }

  /** Bytes an HTTP/1.1 stream writes to the socket itself, as chunks of the chunked transfer coding. */
  #watchSocket(socket: Socket): void {
    const target = socket as unknown as { write: Write };
    const original = target.write;
    this.#socket = socket;
    this.#socketWrite = original;
    target.write = (...args: unknown[]) => {
      // Once the body is over its limit nothing more is kept: the hot path pays nothing more for recording.
      if (!this.#inside && this.#response.headersSent && !this.#record.truncated)
        this.#keepBytes(this.#dechunk.push(toBuffer(args[0])));
      return original.apply(socket, args);
    };
  }

  #keep(chunk: unknown, encoding: unknown): void {
    if (typeof chunk === 'string')
      this.#keepBytes(
        Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    else if (chunk instanceof Uint8Array) this.#keepBytes(Buffer.from(chunk));
  }

  #keepBytes(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = MAX_BODY_BYTES - this.#size;
    if (room <= 0) {
      this.#record.truncated = true;
      return;
    }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (kept !== bytes) this.#record.truncated = true;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }
}

const toBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : typeof chunk === 'string'
      ? Buffer.from(chunk, 'utf8')
      : Buffer.from(chunk as Uint8Array);

/** The data of HTTP/1.1 chunked transfer coding, fed in any pieces: `size CRLF data CRLF`, repeated. */
class Dechunker {
  #pending: Buffer = Buffer.alloc(0);

  push(bytes: Buffer): Buffer {
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    const out: Buffer[] = [];
    while (this.#pending.length > 0) {
      const lineEnd = this.#pending.indexOf('\r\n');
      if (lineEnd < 0) break;
      const size = Number.parseInt(this.#pending.subarray(0, lineEnd).toString('latin1'), 16);
      const end = lineEnd + 2 + size + 2;
      if (Number.isNaN(size) || this.#pending.length < end) break;
      out.push(this.#pending.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.#pending = this.#pending.subarray(end);
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

/** The header lines of an HTTP/1.1 response head (`HTTP/1.1 200 OK\r\nName: value\r\n…`). */
function parseHeaderBlock(head: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const known = headers[name];
    headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  return headers;
}

function lowerCased(headers: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    // HTTP/2 pseudo-headers (`:status`) are the status line, not headers.
    if (value === undefined || name.startsWith(':')) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}
