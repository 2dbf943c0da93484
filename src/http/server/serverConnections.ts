import type { Server, ServerResponse } from 'node:http';
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';

/** What a graceful close needs of one server's connections. */
export interface ServerConnections {
  /**
   * From now on every HTTP/1.1 answer is its connection's last (`Connection: close`) and idle HTTP/1.1
   * connections are closed as they turn idle; every HTTP/2 session gets GOAWAY, so its streams in flight
   * finish and no new one starts.
   */
  closeWhenIdle(): void;
  /** Cuts every connection left, busy or not. */
  cutAll(): void;
}

/** The HTTP/1.1 connection handling that node:http and node:http2 (with `allowHTTP1`) servers share. */
interface Http1Connections {
  closeIdleConnections(): void;
  on(event: 'request', listener: (request: { httpVersionMajor: number }, response: object) => void): unknown;
}

const tracked = new WeakMap<object, ServerConnections>();

/** The connections of a server made by `createHttpServer` or `createTlsServer`. */
export function connectionsOf(server: object): ServerConnections {
  const connections = tracked.get(server);
  if (!connections) throw new Error('Only a server from createHttpServer or createTlsServer can be closed.');
  return connections;
}

/**
 * Tracks the HTTP/1.1 answers in flight, so that once `closing()` is called each is its connection's last and
 * the connection is closed as soon as it is answered. HTTP/2 answers are left to GOAWAY.
 */
function trackHttp1Answers(server: Http1Connections): { closing(): void } {
  const responses = new Set<ServerResponse>();
  let closing = false;
  // One listener function for every answer (a stream's answer lives for hours: no closure and no `once`
  // wrapper each).
  function onAnswerClose(this: ServerResponse): void {
    responses.delete(this);
    // The connection turns idle only after this turn; close it then rather than keep it alive.
    if (closing) setImmediate(() => server.closeIdleConnections());
  }
  server.on('request', (request, response) => {
    if (request.httpVersionMajor >= 2) return;
    const answer = response as ServerResponse;
    if (closing) answer.shouldKeepAlive = false;
    responses.add(answer);
    answer.on('close', onAnswerClose);
  });
  return {
    closing() {
      closing = true;
      for (const response of responses) if (!response.headersSent) response.shouldKeepAlive = false;
      server.closeIdleConnections();
    },
  };
}

/** Tracks a node:http server's connections for {@link connectionsOf}. */
export function trackHttpConnections(server: Server): void {
  const http1 = trackHttp1Answers(server);
  tracked.set(server, { closeWhenIdle: http1.closing, cutAll: () => server.closeAllConnections() });
}

/**
 * Tracks a node:http2 secure server's connections for {@link connectionsOf}: its HTTP/2 sessions, its
 * HTTP/1.1 fallback connections and every TCP connection (a handshake in progress included), which `cutAll`
 * destroys.
 */
export function trackTlsConnections(server: Http2SecureServer & Http1Connections): void {
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session) => {
    // A handshake that completes after the close began gets its GOAWAY at once.
    if (closing) session.close();
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const http1 = trackHttp1Answers(server);
  tracked.set(server, {
    closeWhenIdle() {
      closing = true;
      http1.closing();
      // [spec] RFC 9113 §6.8: "A server that is attempting to gracefully shut down a connection SHOULD send
      // an initial GOAWAY frame [...]". Node's close() sends it and ends the session once its streams are done.
      for (const session of sessions) session.close();
    },
    cutAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  });
}
