import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { type ClientHttp2Session, type ClientHttp2Stream, connect } from 'node:http2';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { type SseCapture, sseRecorder } from './collectSse.js';

/** A whole answer: status, headers, body text, and the protocol it came over. */
export interface TlsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The ALPN protocol of the connection: `h2` or `http/1.1`. */
  protocol: string;
}

/** What a request sends beyond method and path: `body` as JSON (with its Content-Length), extra headers. */
export interface RequestInit {
  body?: unknown;
  headers?: OutgoingHttpHeaders;
}

/** Connects over HTTP/2 (ALPN `h2`) trusting only `ca`; resolves once the handshake is done. */
export async function connectHttp2(url: string, ca: Buffer): Promise<ClientHttp2Session> {
  const session = connect(url, { ca });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  return session;
}

function readText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve, reject) => {
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}

function bodyOf(init: RequestInit): { payload: string | undefined; headers: OutgoingHttpHeaders } {
  if (init.body === undefined) return { payload: undefined, headers: init.headers ?? {} };
  const payload = JSON.stringify(init.body);
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...init.headers,
    },
  };
}

/** One request on an HTTP/2 session, read to its end. */
export function http2Request(
  session: ClientHttp2Session,
  method: string,
  path: string,
  init: RequestInit = {},
): Promise<TlsAnswer> {
  const { payload, headers } = bodyOf(init);
  const stream = session.request({ ':method': method, ':path': path, ...headers });
  stream.end(payload);
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('response', (answer) => {
      void readText(stream).then((text) =>
        resolve({ status: Number(answer[':status']), headers: answer, text, protocol: 'h2' }),
      );
    });
  });
}

/** An SSE stream read as it arrives: what was parsed so far, and its end. */
export interface OpenEventStream<S> {
  /** The client side: an HTTP/2 stream, or the HTTP/1.1 response. */
  readonly stream: S;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly capture: SseCapture;
  /** Resolves when the body ends or the stream is closed or reset. */
  readonly ended: Promise<void>;
}

function follow<S extends NodeJS.ReadableStream>(
  stream: S,
  status: number,
  headers: IncomingHttpHeaders,
): OpenEventStream<S> {
  const recorder = sseRecorder();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => recorder.feed(chunk));
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    // A reset or a cut connection ends the stream too; the test asserts on what arrived.
    stream.once('error', () => resolve());
  });
  return { stream, status, headers, capture: recorder.capture, ended };
}

/** Opens an SSE stream on an HTTP/2 session; resolves with it once its response headers arrived. */
export function openHttp2EventStream(
  session: ClientHttp2Session,
  path: string,
  headers: OutgoingHttpHeaders = {},
): Promise<OpenEventStream<ClientHttp2Stream>> {
  const stream = session.request({ ':path': path, accept: 'text/event-stream', ...headers });
  stream.end();
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('response', (answer) => resolve(follow(stream, Number(answer[':status']), answer)));
  });
}

/** https passes the request options on to `tls.connect`, ALPN included (@types/node omits it). */
type Https1Options = RequestOptions & Pick<ConnectionOptions, 'ALPNProtocols'>;

function https1(
  url: string,
  ca: Buffer,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  payload?: string,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options: Https1Options = { method, headers, ca, agent: false, ALPNProtocols: ['http/1.1'] };
    const request = httpsRequest(`${url}${path}`, options);
    request.once('error', reject);
    request.once('response', resolve);
    request.end(payload);
  });
}

/** One request over HTTP/1.1 on a TLS connection of its own (ALPN `http/1.1`), read to its end. */
export async function https1Request(
  url: string,
  ca: Buffer,
  method: string,
  path: string,
  init: RequestInit = {},
): Promise<TlsAnswer> {
  const { payload, headers } = bodyOf(init);
  const response = await https1(url, ca, method, path, headers, payload);
  const protocol = String((response.socket as TLSSocket).alpnProtocol);
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    text: await readText(response),
    protocol,
  };
}

/** Opens an SSE stream over HTTP/1.1 on a TLS connection of its own (ALPN `http/1.1`). */
export async function openHttps1EventStream(
  url: string,
  ca: Buffer,
  path: string,
): Promise<OpenEventStream<IncomingMessage> & { protocol: string }> {
  const response = await https1(url, ca, 'GET', path, { accept: 'text/event-stream' });
  const protocol = String((response.socket as TLSSocket).alpnProtocol);
  return { ...follow(response, response.statusCode ?? 0, response.headers), protocol };
}

/** The answer as a fetch `Response` (pseudo-headers dropped), for the spec assertions in expectMatchesSpec. */
export function asResponse(answer: TlsAnswer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [String(value)]) headers.append(name, one);
  }
  return new Response(answer.text, { status: answer.status, headers });
}

/**
 * A PATCH on an HTTP/2 session whose body is sent in two parts: it stays in flight until `finish()`.
 * `headers` adds to it (e.g. a staff token's `authorization`).
 */
export function slowHttp2Patch(
  session: ClientHttp2Session,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) {
  const stream = session.request({
    ':method': 'PATCH',
    ':path': path,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  stream.write(body.slice(0, 5));
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    let text = '';
    stream.once('error', reject);
    stream.once('response', (headers) => {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.once('end', () => resolve({ status: Number(headers[':status']), text }));
    });
  });
  return { finish: () => stream.end(body.slice(5)), answer };
}
