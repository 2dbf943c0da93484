import { connect, type Socket } from 'node:net';
import { HttpSseParser } from './HttpSseParser.js';

/**
 * One kept-alive HTTP/1.1 connection that sends `PATCH /v1/inventory/{petId}` requests one at a time and
 * resolves each with the answer's status (0 when the connection broke first). A broken connection is opened
 * again for the next request.
 */
export class WriteConnection {
  readonly #port: number;
  readonly #headers: string;
  #socket: Socket | undefined;
  #parser: HttpSseParser | undefined;
  #pending: ((status: number) => void) | undefined;
  #status = 0;

  constructor(port: number, headers: Record<string, string>) {
    this.#port = port;
    this.#headers = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
  }

  patch(petId: string, stock: number): Promise<number> {
    const body = `{"stock":${stock}}`;
    const socket = this.#socket ?? this.#open();
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#status = 0;
      socket.write(
        `PATCH /v1/inventory/${petId} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n${this.#headers}\r\n${body}`,
      );
    });
  }

  close(): void {
    this.#socket?.destroy();
  }

  #open(): Socket {
    const socket = connect({ port: this.#port, host: '127.0.0.1', noDelay: true });
    this.#parser = new HttpSseParser({
      head: (status) => {
        this.#status = status;
      },
      event: () => {},
      end: () => this.#settle(this.#status),
    });
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.#parser?.feed(text));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
      this.#settle(0);
    });
    this.#socket = socket;
    return socket;
  }

  #settle(status: number): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.(status);
  }
}
