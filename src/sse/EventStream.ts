import type { CloseReason, EventStreamOptions, InvalidFrame, ValidationIssue } from './EventStreamOptions.js';
import { encodeComment, encodeEvent } from './encodeEvent.js';
import type { EventMap, EventName } from './eventMap.js';
import type { FrameCache } from './FrameCache.js';
import { FrameQueue } from './FrameQueue.js';
import { flushSoon } from './flushSoon.js';
import type { HeartbeatTarget } from './HeartbeatWheel.js';
import { isValidEventId, MAX_EVENT_ID_BYTES } from './lastEventId.js';
import { SseEncodeError } from './SseEncodeError.js';
import type { SseSink } from './SseSink.js';

/** Default `retryMs` of an {@link EventStream}. */
export const DEFAULT_RETRY_MS = 3000;
/** Default `maxQueueBytes` of an {@link EventStream}: 1 MiB. */
export const DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024;
/** Default `maxQueueFrames` of an {@link EventStream}. */
export const DEFAULT_MAX_QUEUE_FRAMES = 1000;

const HEARTBEAT = encodeComment('heartbeat');
/** Pending frames past this size are written at once rather than at the end of the turn. */
const COALESCE_MAX_CHARS = 64 * 1024;
// [spec] "Initialize event's type attribute to "message" [...] If the event type buffer has a value
// other than the empty string, change the type of the newly created event to equal the value"
const UNNAMED_EVENT = 'message';

function json(data: unknown): string | readonly ValidationIssue[] {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    return [{ path: '', message: `payload is not serialisable as JSON: ${String(error)}` }];
  }
  return text ?? [{ path: '', message: 'payload is not serialisable as JSON' }];
}

function rawData(data: unknown): string | readonly ValidationIssue[] {
  return typeof data === 'string'
    ? data
    : [{ path: '', message: `a raw-data payload must be a string, got ${typeof data}` }];
}

function checkedLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`EventStream option ${name} must be a non-negative integer, got ${value}.`);
  }
  return value;
}

/**
 * A typed, validated SSE writer over an {@link SseSink}. `open()` writes `retry:` first; `send()`
 * validates, serialises and writes one event with its id; terminal events, refused frames, slow
 * consumers, an aborted `signal` option and a vanished client all close it. On close it leaves the
 * heartbeat wheel, removes the sink listeners it added and aborts {@link EventStream.signal}, through
 * which producers tear down.
 */
export class EventStream<E extends EventMap> {
  /** Resolves with the reason once the stream is closed; never rejects. */
  readonly closed: Promise<CloseReason>;
  readonly #sink: SseSink;
  readonly #options: EventStreamOptions<E>;
  readonly #retryFrame: string;
  readonly #terminal: ReadonlySet<string>;
  readonly #unnamed: ReadonlySet<string>;
  readonly #rawData: ReadonlySet<string>;
  readonly #queue: FrameQueue;
  readonly #controller = new AbortController();
  readonly #beat: HeartbeatTarget & { lastWriteAt: number };
  #resolveClosed: (reason: CloseReason) => void = () => {};
  #state: 'idle' | 'open' | 'closed' = 'idle';
  #reason: CloseReason | undefined;
  #congested = false;
  #lastEventId: string | undefined;
  /** Frames written this turn that wait for the coalesced flush (`coalesce` option). */
  #pending = '';
  #flushScheduled = false;

  /** Attaches to `sink` at once, so a client that leaves before `open()` still closes the stream. */
  constructor(sink: SseSink, options: EventStreamOptions<E>) {
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#sink = sink;
    this.#options = options;
    this.#retryFrame = encodeEvent({ retry: options.retryMs ?? DEFAULT_RETRY_MS });
    this.#terminal = new Set(options.grammar?.terminal ?? []);
    this.#unnamed = new Set([UNNAMED_EVENT, ...(options.unnamedEvents ?? [])]);
    this.#rawData = new Set(options.rawDataEvents ?? []);
    this.#queue = new FrameQueue({
      maxBytes: checkedLimit('maxQueueBytes', options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES),
      maxFrames: checkedLimit('maxQueueFrames', options.maxQueueFrames ?? DEFAULT_MAX_QUEUE_FRAMES),
    });
    this.#beat = { lastWriteAt: performance.now(), heartbeat: () => this.#heartbeat() };
    sink.on('drain', this.#onDrain);
    sink.on('close', this.#onSinkClose);
    sink.on('error', this.#onSinkError);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (options.signal?.aborted) this.close('aborted');
    else if (sink.destroyed) this.close('client-gone');
  }

  /** Aborted when the stream closes: hand it to producers and subscriptions. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the stream closed; `undefined` while it is not closed. */
  get closeReason(): CloseReason | undefined {
    return this.#reason;
  }

  /** The id of the last event written or queued; `undefined` before the first. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** True between `open()` and close. */
  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Writes the `retry:` line and joins the heartbeat wheel. Idempotent; no-op once closed. */
  open(): this {
    if (this.#state !== 'idle') return this;
    this.#state = 'open';
    this.#write(this.#retryFrame);
    if (this.isOpen) this.#options.heartbeat?.add(this.#beat);
    return this;
  }

  /**
   * Validates `data`, then writes it as `event` with `id`: without an `event:` line for `message` and the
   * `unnamedEvents`, and the payload as JSON, or as is for the `rawDataEvents`. A refused frame is never
   * written: it is reported, the `errorEvent` is written and the stream closes.
   * A terminal event closes the stream after it is written.
   *
   * @returns `true` if the frame was written or queued; `false` if refused or the stream is closed.
   * @throws {SseEncodeError} `invalid_id` unless `id` passes `isValidEventId`.
   * @throws {Error} if called before `open()`.
   */
  send<K extends EventName<E>>(event: K, data: E[K], id: string): boolean {
    if (this.#state === 'idle') {
      throw new Error(
        'EventStream.send() called before open(): open first so that retry: is the first line.',
      );
    }
    if (this.#state === 'closed') return false;
    if (!isValidEventId(id)) {
      throw new SseEncodeError(
        'invalid_id',
        `SSE id ${JSON.stringify(id)} must be 1 to ${MAX_EVENT_ID_BYTES} characters of A-Z, a-z, 0-9, ` +
          `'.', '_', ':' or '-', or the client could not send it back in Last-Event-ID.`,
      );
    }
    const frame = this.#encode(event, data, id);
    if (typeof frame !== 'string') {
      this.#refuse({ event, id, data, issues: frame });
      return false;
    }
    const written = this.#write(frame);
    if (written) {
      this.#lastEventId = id;
      this.#options.observer?.frame?.(event, Buffer.byteLength(frame), data);
    }
    if (written && this.#terminal.has(event)) this.close('terminal');
    return written;
  }

  /**
   * Writes a `retry:` line mid-stream, e.g. a last reconnection delay before the server ends the stream.
   * It carries no `id:`, so the client's last event id is kept.
   *
   * @returns `true` if the line was written or queued; `false` if the stream is closed.
   * @throws {SseEncodeError} `invalid_retry` unless `retryMs` is a non-negative integer.
   * @throws {Error} if called before `open()`.
   */
  sendRetry(retryMs: number): boolean {
    const frame = encodeEvent({ retry: retryMs });
    if (this.#state === 'idle') {
      throw new Error('EventStream.sendRetry() called before open(): open first.');
    }
    return this.#state === 'open' && this.#write(frame);
  }

  /**
   * Closes the stream (idempotent). Queued frames are flushed and the sink ended, except for
   * `slow-consumer` and `client-gone`, where the sink is destroyed. Default reason: `closed`.
   */
  close(reason: CloseReason = 'closed'): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#reason = reason;
    this.#options.heartbeat?.remove(this.#beat);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#sink.off('drain', this.#onDrain);
    this.#release(reason);
    this.#controller.abort();
    this.#resolveClosed(reason);
  }

  #encode(event: EventName<E>, data: unknown, id: string): string | readonly ValidationIssue[] {
    const cache: FrameCache | undefined = this.#options.frameCache;
    const cached = cache?.get(event, data, id);
    if (cached !== undefined) return cached;
    const issues = this.#options.validate(event, data);
    if (issues !== null && issues.length > 0) return issues;
    const serialised = this.#rawData.has(event) ? rawData(data) : json(data);
    if (typeof serialised !== 'string') return serialised;
    const frame = encodeEvent({ event: this.#unnamed.has(event) ? undefined : event, id, data: serialised });
    cache?.set(event, data, id, frame);
    return frame;
  }

  #refuse(failure: InvalidFrame<E>): void {
    try {
      this.#options.onInvalidFrame?.(failure);
      this.#options.logger?.error(
        { event: failure.event, id: failure.id, issues: failure.issues },
        'SSE frame failed validation and was not sent',
      );
      this.#writeErrorEvent(failure);
    } finally {
      this.close('invalid-frame');
    }
  }

  #writeErrorEvent(failure: InvalidFrame<E>): void {
    const option = this.#options.errorEvent;
    if (option === undefined) return;
    const data = option.payload(failure);
    const frame = this.#encode(option.event, data, failure.id);
    if (typeof frame === 'string') {
      if (this.#write(frame)) this.#options.observer?.frame?.(option.event, Buffer.byteLength(frame), data);
      return;
    }
    this.#options.logger?.error(
      { event: option.event, id: failure.id, issues: frame },
      'SSE error event failed validation too; ending the stream without it',
    );
  }

  #write(frame: string): boolean {
    if (this.#congested) {
      if (this.#queue.push(frame)) return true;
      this.#options.logger?.warn(
        { queuedFrames: this.#queue.frames, queuedBytes: this.#queue.bytes },
        'SSE client stopped reading and its queue is full; dropping it',
      );
      this.close('slow-consumer');
      return false;
    }
    this.#beat.lastWriteAt = performance.now();
    if (this.#options.coalesce !== true) {
      this.#congested = !this.#sink.write(frame);
      return true;
    }
    this.#pending += frame;
    if (this.#pending.length >= COALESCE_MAX_CHARS) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      flushSoon(this.#flush);
    }
    return true;
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const chunk = this.#pending;
    if (chunk === '' || this.#state === 'closed') return;
    this.#pending = '';
    this.#congested = !this.#sink.write(chunk);
  };

  #heartbeat(): void {
    if (!this.isOpen || this.#congested) return;
    this.#write(HEARTBEAT);
    this.#options.observer?.heartbeat?.();
  }

  #release(reason: CloseReason): void {
    const pending = this.#pending;
    this.#pending = '';
    if (reason === 'slow-consumer' || reason === 'client-gone') {
      this.#queue.clear();
      this.#sink.destroy();
    } else {
      // Pending frames are only held while the sink accepts writes, so they precede anything queued.
      const rest = pending + this.#queue.take();
      if (rest !== '') this.#sink.write(rest);
      this.#sink.end();
    }
    if (this.#sink.destroyed) this.#detach();
  }

  #detach(): void {
    this.#sink.off('close', this.#onSinkClose);
    this.#sink.off('error', this.#onSinkError);
  }

  readonly #onDrain = (): void => {
    const chunk = this.#queue.take();
    if (chunk === '') {
      this.#congested = false;
      return;
    }
    this.#beat.lastWriteAt = performance.now();
    this.#congested = !this.#sink.write(chunk);
  };

  readonly #onSinkClose = (): void => {
    this.#detach();
    this.close('client-gone');
  };

  // The error itself is dropped on purpose: a broken connection (ECONNRESET, EPIPE) is how clients
  // leave an SSE stream, a normal end rather than a fault. The listener stays until 'close' so a late
  // error while the last bytes flush cannot crash the process.
  readonly #onSinkError = (): void => {
    this.close('client-gone');
  };

  readonly #onAbort = (): void => {
    this.close('aborted');
  };
}
