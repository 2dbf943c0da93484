import type { StockChange } from '../payload.js';

/** One SSE server under test: it serves `STREAM_PATH` and broadcasts what `publish` is given. */
export interface BenchServer {
  readonly port: number;
  /** Broadcasts the events, in order, to every open stream, within the current tick. */
  publish(events: readonly StockChange[]): void;
  /** Open streams. */
  connections(): number;
}
