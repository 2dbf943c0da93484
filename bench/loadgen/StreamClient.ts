import { connect, type Socket } from 'node:net';
import { nowMs, parseTimestamp } from '../clock.js';
import { idRank, isSequential } from './eventIds.js';
import { HttpSseParser, type SseEvent } from './HttpSseParser.js';

/** Where a client connects: a TCP port on 127.0.0.1, or a Unix domain socket path. */
export type Target = { port: number } | { socketPath: string };

export interface StreamRequest {
  target: Target;
  path: string;
  headers?: Record<string, string> | undefined;
  /** Records publish→receive latency of each event (from the `timestamp` in its data). */
  sampled: boolean;
}

const TIMESTAMP = '"timestamp":"';

/**
 * One SSE stream on its own connection, as a load generator sees it: counts the events with an id, checks
 * that ids only grow (a repeat is a duplicate, a skipped sequence number a gap), samples latency, and notes
 * when the response ends or the connection closes. Counters are per phase (see `reset`); `lastRank`
 * carries over so a repeat across phases is still seen.
 */
export class StreamClient {
  readonly socket: Socket;
  readonly sampled: boolean;
  status = 0;
  ended = false;
  closed = false;
  stalled = false;
  received = 0;
  duplicates = 0;
  gaps = 0;
  latencies: number[] = [];
  lastAt = 0;
  lastRank = Number.NaN;

  private constructor(socket: Socket, sampled: boolean) {
    this.socket = socket;
    this.sampled = sampled;
  }

  /** Opens the connection and sends the request; resolves once the response head arrived (or failed). */
  static open(request: StreamRequest): Promise<StreamClient> {
    return new Promise((resolve) => {
      const socket =
        'port' in request.target
          ? connect({ port: request.target.port, host: '127.0.0.1', noDelay: true })
          : connect({ path: request.target.socketPath });
      const client = new StreamClient(socket, request.sampled);
      const parser = new HttpSseParser({
        head: (status) => {
          client.status = status;
          resolve(client);
        },
        event: (event) => client.#event(event),
        end: () => {
          client.ended = true;
        },
      });
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => parser.feed(text));
      socket.on('close', () => {
        client.closed = true;
        resolve(client);
      });
      socket.on('error', () => {});
      const headers = Object.entries(request.headers ?? {})
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.on('connect', () =>
        socket.write(
          `GET ${request.path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n${headers}\r\n`,
        ),
      );
    });
  }

  get ok(): boolean {
    return this.status === 200 && !this.closed;
  }

  /** Starts a phase: counters to zero. */
  reset(): void {
    this.received = 0;
    this.duplicates = 0;
    this.gaps = 0;
    this.latencies = [];
    this.lastAt = 0;
  }

  #event(event: SseEvent): void {
    if (event.id === undefined) return;
    const rank = idRank(event.id);
    if (rank <= this.lastRank) this.duplicates++;
    else {
      if (!Number.isNaN(this.lastRank) && isSequential(event.id) && rank !== this.lastRank + 1) this.gaps++;
      this.lastRank = rank;
      this.received++;
    }
    this.lastAt = nowMs();
    if (this.sampled) {
      const at = event.data.indexOf(TIMESTAMP);
      if (at >= 0) {
        const end = event.data.indexOf('"', at + TIMESTAMP.length);
        this.latencies.push(this.lastAt - parseTimestamp(event.data.slice(at + TIMESTAMP.length, end)));
      }
    }
  }
}
