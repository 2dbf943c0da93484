import type { Server } from 'node:http';
import type { LiveStatus } from '../orderPayload.js';
import type { StockChange } from '../payload.js';

/** One SSE server under test: it serves `STREAM_PATH` and broadcasts what `publish` is given. */
export interface BenchServer {
  readonly port: number;
  /** Its node:http server, which is also handed the Unix socket connections of W5. */
  readonly http: Server;
  /**
   * Broadcasts the events, in order, to every open stream, within the current tick. A server whose publish
   * is asynchronous (an event log append) returns one promise per event, settled when it was accepted.
   */
  publish(events: readonly StockChange[]): readonly Promise<unknown>[] | undefined;
  /** Open inventory streams. */
  connections(): number;
  /** W3's order status streams; a server without them does not run W3. */
  readonly orders?: OrderStatusSource;
}

/** Orders made ready to be followed, and what a client must send to follow them. */
export interface PreparedOrders {
  orderIds: string[];
  /** Request headers for the order status streams (ours: the owner's access token). */
  headers?: Record<string, string>;
}

/**
 * Order status streams: `prepare` makes orders whose stream starts with `payment_processing` (id 1); each
 * `publish` sends one live status to one order's stream; after `shipped` (`complete`) the stream ends.
 * Prepared orders are followed again in every repetition.
 */
export interface OrderStatusSource {
  prepare(count: number): Promise<PreparedOrders>;
  /** Publishes `status` of the order at `index` (in `orderIds`) now. */
  publish(index: number, status: LiveStatus): void;
}
