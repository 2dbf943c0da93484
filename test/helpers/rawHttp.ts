import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 response as it came over the wire: head, and body chunks exactly as the server framed them. */
export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  /** The chunks of a chunked body, in order, each as one string (the size line and CRLFs removed). */
  readonly chunks: string[];
  /** True once the last chunk (`0\r\n\r\n`) or, for a body without chunks, the whole body arrived. */
  readonly complete: boolean;
  /** The body of a response with `Content-Length`. */
  readonly body: string;
}

/**
 * A raw TCP connection for HTTP/1.1 requests, one after another on the same socket, that keeps the chunked
 * transfer coding of each response visible (fetch and node:http hide it).
 */
export class RawConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #response:
    | {
        status: number;
        headers: Record<string, string>;
        chunks: string[];
        complete: boolean;
        body: string;
      }
    | undefined;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (data: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      this.#parse();
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () =>
        resolve(new RawConnection(socket)),
      );
      socket.once('error', reject);
    });
  }

  /** Sends a request (the previous response must be complete) and returns its response, filled as it arrives. */
  send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    version = 'HTTP/1.1',
  ): RawResponse {
    this.#response = { status: 0, headers: {}, chunks: [], complete: false, body: '' };
    const lines = Object.entries({ Host: 'localhost', ...headers }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    this.#socket.write(`${method} ${path} ${version}\r\n${lines.join('\r\n')}\r\n\r\n`);
    return this.#response;
  }

  /** What arrived after the response head and is not parsed as chunks: a body that ends with the connection. */
  get rest(): string {
    return this.#buffer.toString('utf8');
  }

  /** Resolves once `condition` holds of the data received so far (checked on each arrival). */
  async until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`condition not met within ${timeoutMs} ms`);
      if (this.#socket.destroyed) throw new Error('connection closed before the condition held');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.#socket.destroy();
  }

  /** True once the connection is closed, by either side. */
  get closed(): boolean {
    return this.#socket.closed;
  }

  #parse(): void {
    const response = this.#response;
    if (!response) return;
    if (response.status === 0) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...headerLines] = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
      response.status = Number(statusLine?.split(' ')[1]);
      for (const line of headerLines) {
        const at = line.indexOf(':');
        response.headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      this.#buffer = this.#buffer.subarray(end + 4);
    }
    if (response.headers['transfer-encoding'] === 'chunked') this.#parseChunks(response);
    else {
      const length = Number(response.headers['content-length'] ?? 0);
      if (this.#buffer.length < length) return;
      response.body = this.#buffer.subarray(0, length).toString('utf8');
      this.#buffer = this.#buffer.subarray(length);
      response.complete = true;
    }
  }

  #parseChunks(response: { chunks: string[]; complete: boolean }): void {
    for (;;) {
      const eol = this.#buffer.indexOf('\r\n');
      if (eol < 0) return;
      const size = Number.parseInt(this.#buffer.subarray(0, eol).toString('latin1'), 16);
      if (this.#buffer.length < eol + 2 + size + 2) return;
      const data = this.#buffer.subarray(eol + 2, eol + 2 + size);
      this.#buffer = this.#buffer.subarray(eol + 2 + size + 2);
      if (size === 0) {
        response.complete = true;
        return;
      }
      response.chunks.push(data.toString('utf8'));
    }
  }
}
