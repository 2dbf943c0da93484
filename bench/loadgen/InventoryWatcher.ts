import { connect, type Socket } from 'node:net';
import { nowMs, parseTimestamp } from '../clock.js';
import { HttpSseParser, type SseEvent } from './HttpSseParser.js';

/** One inventory event as a W7 subscriber received it. */
export interface ReceivedEvent {
  id: string;
  /** `<petId>:<newStock>` for a `stock-change` (unique per write in W7); the event name for anything else. */
  key: string;
  /** `<petId>:<oldStock>`: the change this one follows on the same pet. */
  follows: string | undefined;
  /** Milliseconds of the event's `timestamp` (commit time as the server states it, millisecond precision). */
  timestampMs: number;
  receivedAt: number;
}

interface StockChangeData {
  petId: string;
  oldStock: number;
  newStock: number;
  timestamp: string;
}

/**
 * W7's subscriber: one `/v1/inventory/stream` on its own connection that keeps every event it receives, in
 * order, so that a phase can be checked event by event against the writes that were answered 2xx.
 */
export class InventoryWatcher {
  readonly name: string;
  readonly events: ReceivedEvent[] = [];
  /** Index of each key's first arrival in `events`. */
  readonly firstIndex = new Map<string, number>();
  readonly #socket: Socket;
  status = 0;
  closed = false;
  /** The id of an id-only block before the first event (the new log's head: `<gen>.<head>`), if any. */
  startId: string | undefined;
  /** Frames the server sent that are not inventory events (`reset`, `stream-error`, …), by name. */
  readonly others: string[] = [];

  private constructor(name: string, socket: Socket) {
    this.name = name;
    this.#socket = socket;
  }

  static open(name: string, port: number, headers: Record<string, string> = {}): Promise<InventoryWatcher> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      const watcher = new InventoryWatcher(name, socket);
      const parser = new HttpSseParser({
        head: (status) => {
          watcher.status = status;
          resolve(watcher);
        },
        event: (event) => watcher.#receive(event),
        idOnly: (id) => {
          if (watcher.events.length === 0) watcher.startId ??= id;
        },
        end: () => {
          watcher.closed = true;
        },
      });
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => parser.feed(text));
      socket.on('close', () => {
        watcher.closed = true;
        resolve(watcher);
      });
      socket.on('error', () => {});
      const extra = Object.entries(headers)
        .map(([header, value]) => `${header}: ${value}\r\n`)
        .join('');
      socket.on('connect', () =>
        socket.write(
          `GET /v1/inventory/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n${extra}\r\n`,
        ),
      );
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(event: SseEvent): void {
    const receivedAt = nowMs();
    if (event.event !== 'stock-change' && event.event !== 'price-change') {
      this.others.push(event.event);
      return;
    }
    let key = event.event;
    let follows: string | undefined;
    let timestampMs = Number.NaN;
    if (event.event === 'stock-change') {
      // The data is latin1 here (bytes as characters); a stock-change is ASCII, so JSON.parse reads it as is.
      const data = JSON.parse(event.data) as StockChangeData;
      key = `${data.petId}:${data.newStock}`;
      follows = `${data.petId}:${data.oldStock}`;
      timestampMs = parseTimestamp(data.timestamp);
    }
    if (!this.firstIndex.has(key)) this.firstIndex.set(key, this.events.length);
    this.events.push({ id: event.id ?? '', key, follows, timestampMs, receivedAt });
  }
}
