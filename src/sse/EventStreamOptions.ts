import type { EventMap, EventName } from './eventMap.js';
import type { FrameCache } from './FrameCache.js';
import type { HeartbeatWheel } from './HeartbeatWheel.js';

/** One schema violation found in an event payload. */
export interface ValidationIssue {
  /** JSON Pointer to the offending value (`''` for the payload itself). */
  readonly path: string;
  readonly message: string;
}

/** Checks a payload against the message schema of `event`; `null` or `[]` means valid. */
export type EventValidator<E extends EventMap> = (
  event: EventName<E>,
  data: unknown,
) => readonly ValidationIssue[] | null;

/** A frame that was refused and never written. */
export interface InvalidFrame<E extends EventMap> {
  readonly event: EventName<E>;
  readonly id: string;
  readonly data: unknown;
  readonly issues: readonly ValidationIssue[];
}

/**
 * The spec-declared in-band error event, written after an invalid frame is refused. `payload` builds
 * its data from the refused frame; the result is validated like any other frame.
 */
export type ErrorEventOption<E extends EventMap> = {
  [K in EventName<E>]: {
    readonly event: K;
    readonly payload: (failure: InvalidFrame<E>) => E[K];
  };
}[EventName<E>];

/** The events of `E` whose payload is a string: only these can be written as raw data. */
export type StringEventName<E extends EventMap> = {
  [K in EventName<E>]: E[K] extends string ? K : never;
}[EventName<E>];

/** Why an `EventStream` closed. */
export type CloseReason =
  /** A terminal event of the grammar was written. */
  | 'terminal'
  /** A frame failed validation; the error event (if any) was written. */
  | 'invalid-frame'
  /** The client stopped reading and the queue bound was exceeded; the sink was destroyed. */
  | 'slow-consumer'
  /** The client took nothing of what waits for it for `slowClientMs`; the sink was destroyed. */
  | 'stalled-consumer'
  /** The sink closed or errored first: the client went away. */
  | 'client-gone'
  /** The `signal` option was aborted (e.g. server shutdown). */
  | 'aborted'
  /** `close()` was called without a reason. */
  | 'closed';

/** Pino-compatible logger subset. */
export interface SseLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Hooks an `EventStream` calls as it writes, e.g. to count frames for metrics. Each is called synchronously
 * on the write path and must be cheap and must not throw.
 */
export interface EventStreamObserver {
  /** An event frame was written or queued: its event name and its size in UTF-8 bytes. */
  frame?(event: string, bytes: number): void;
  /**
   * A payload passed validation and was encoded: once per payload and id where streams share a `frameCache`
   * (so once per broadcast event, not per subscriber), else once per send.
   */
  encoded?(event: string, data: unknown): void;
  /** A `: heartbeat` comment was written. */
  heartbeat?(): void;
}

/** Options of an `EventStream`. */
export interface EventStreamOptions<E extends EventMap> {
  /** Validates every payload before it is written. Required: nothing reaches the wire unchecked. */
  readonly validate: EventValidator<E>;
  /** Reconnection delay sent as the first line on `open()`, unless `open()` is given one. Default: 3000 ms. */
  readonly retryMs?: number;
  /** Shared wheel sending `: heartbeat` comments while idle. Default: no heartbeats. */
  readonly heartbeat?: HeartbeatWheel;
  /** Events after which the stream ends. Default: none. */
  readonly grammar?: { readonly terminal: readonly EventName<E>[] };
  /**
   * Events written without an `event:` line, so a client dispatches them as `message`; the event named
   * `message` is always written so. Default: `[]` (only `message`).
   */
  readonly unnamedEvents?: readonly EventName<E>[];
  /**
   * Events whose payload, a string, is written as is as the `data:` (one `data:` line per line of it) instead of
   * as JSON, e.g. the `[DONE]` sentinel of OpenAI-style streams. Still validated first. Default: `[]`.
   */
  readonly rawDataEvents?: readonly StringEventName<E>[];
  /** Error event written when a frame is refused. Default: none (the stream just ends). */
  readonly errorEvent?: ErrorEventOption<E>;
  /** Bytes queued while the client is not reading before it is dropped. Default: 1 MiB. */
  readonly maxQueueBytes?: number;
  /** Frames queued while the client is not reading before it is dropped. Default: 1000. */
  readonly maxQueueFrames?: number;
  /**
   * How long a client may take nothing of what waits for it before it is dropped (reason
   * `stalled-consumer`), however little is queued: bytes wait when the sink refused a write and has not
   * drained, or, where the sink can tell (`SseSink.delivery`, e.g. a TCP socket on Linux), when the kernel
   * holds bytes the client has not acknowledged. Checked on each write that finds the sink refusing and on
   * the heartbeat wheel's delivery sweep (see `HeartbeatWheel`). `0` turns the rule off. Default: 30 000 ms.
   */
  readonly slowClientMs?: number;
  /** Called for every refused frame, before the error event is written. Default: none. */
  readonly onInvalidFrame?: (failure: InvalidFrame<E>) => void;
  /** Receives refused frames (error) and dropped slow consumers (warn). Default: none. */
  readonly logger?: SseLogger;
  /** Closes the stream (reason `aborted`) when aborted. Default: none. */
  readonly signal?: AbortSignal;
  /**
   * Validated, encoded frames shared with the other streams of the same channel, so a broadcast payload is
   * validated and encoded once (see {@link FrameCache} for what may share one). Default: none.
   */
  readonly frameCache?: FrameCache;
  /**
   * Collects the frames written in one turn of the event loop and writes them to the sink as one chunk at
   * the end of the turn (`setImmediate`, shared by all streams), instead of one write per frame. Order,
   * the queue bounds and the flush before a terminal end are kept. A batch (`sendBatch`) is one chunk
   * already: it is written at once unless frames are pending. Default: `false` (write at once).
   */
  readonly coalesce?: boolean;
  /** Told of every frame and heartbeat written. Default: none. */
  readonly observer?: EventStreamObserver;
}
