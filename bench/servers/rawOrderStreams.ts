import type { IncomingMessage, ServerResponse } from 'node:http';
import { microTimestamp, nowMs } from '../clock.js';
import { LIVE_STATUSES, type LiveStatus, orderFrameParts, trackingNumber } from '../orderPayload.js';
import type { OrderStatusSource, PreparedOrders } from './BenchServer.js';

const ORDER_STREAM = /^\/v1\/orders\/([^/]+)\/status\/stream$/;

interface RawOrder {
  /** Frames of ids 1..4, serialised once, cut around the timestamp. */
  frames: Array<{ head: string; tail: string }>;
  createdAt: string;
  stream: ServerResponse | undefined;
}

/**
 * The raw ceiling of W3: node:http holding one response per order and writing each status as a frame
 * serialised in advance (only the publish time is spliced in), one `res.write` per event, then `res.end()`
 * after `complete`. No validation, no event log, no database.
 */
export class RawOrderStreams implements OrderStatusSource {
  readonly #orders = new Map<string, RawOrder>();
  #ids: string[] = [];

  async prepare(count: number): Promise<PreparedOrders> {
    while (this.#ids.length < count) {
      const index = this.#ids.length;
      const id = `0193a5b2-7c1e-7d3a-9f2b-${index.toString(16).padStart(12, '0')}`;
      const tracking = trackingNumber(index);
      const frames = [1, 2, 3, 4].map((seq) => orderFrameParts(seq, tracking));
      this.#orders.set(id, { frames, createdAt: microTimestamp(nowMs()), stream: undefined });
      this.#ids.push(id);
    }
    return { orderIds: this.#ids.slice(0, count) };
  }

  /** Serves `GET /v1/orders/{id}/status/stream`; false when the request is not for an order stream. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const match = ORDER_STREAM.exec(req.url?.split('?')[0] ?? '');
    if (!match) return false;
    const order = this.#orders.get(match[1]!);
    if (!order) {
      res.writeHead(404).end();
      return true;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    const first = order.frames[0]!;
    res.write(`retry: 1500\n\n${first.head}${order.createdAt}${first.tail}`);
    order.stream = res;
    res.on('close', () => {
      if (order.stream === res) order.stream = undefined;
    });
    return true;
  }

  publish(index: number, status: LiveStatus): void {
    const order = this.#orders.get(this.#ids[index]!);
    const res = order?.stream;
    if (!order || !res) return;
    const step = LIVE_STATUSES.indexOf(status);
    const frame = order.frames[step + 1]!;
    res.write(frame.head + microTimestamp(nowMs()) + frame.tail);
    if (step === LIVE_STATUSES.length - 1) {
      order.stream = undefined;
      res.end();
    }
  }
}
