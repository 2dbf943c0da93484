import type { EncodedFrame } from './EncodedFrame.js';

/** Events of an {@link SseSink} that an `EventStream` listens to. */
export type SseSinkEvent = 'drain' | 'close' | 'error';

/** How much of what a sink was given its client has taken, for the slow-client rule (see `SseSink.delivery`). */
export interface SinkDelivery {
  /** Bytes given to the sink that the client has not taken yet. */
  readonly waiting: number;
  /** Bytes the client has taken so far: only ever grows; only its changes matter. */
  readonly taken: number;
}

/**
 * Where an `EventStream` writes: the subset of a Node `Writable` it needs, so a `ServerResponse`, a
 * `net.Socket` or a test double fits without any framework.
 */
export interface SseSink {
  /** True once the sink is torn down (for a `ServerResponse`: the client went away). */
  readonly destroyed: boolean;
  /** Writes a chunk; `false` means "buffer full, wait for `'drain'`" (the chunk is still taken). */
  write(chunk: string): boolean;
  /**
   * Writes an encoded frame, if the sink can do better than `write(frame.text)`: e.g. write the frame's
   * kept bytes, shared with every other subscriber, straight to a socket. Same result as `write`.
   */
  writeFrame?(frame: EncodedFrame): boolean;
  /**
   * What the client has taken of what was written, where the sink can tell better than its `write` results:
   * e.g. a TCP socket whose kernel holds megabytes that the client does not read. Without it, a stream
   * counts as waiting only while its last write was refused (until `'drain'`).
   */
  delivery?(): SinkDelivery;
  /** Ends the sink after everything written so far is flushed. */
  end(): void;
  /** Tears the sink down at once, dropping unflushed data. */
  destroy(): void;
  on(event: SseSinkEvent, listener: (...args: unknown[]) => void): unknown;
  off(event: SseSinkEvent, listener: (...args: unknown[]) => void): unknown;
}
