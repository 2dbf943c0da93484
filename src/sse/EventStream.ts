import { EncodedFrame } from './EncodedFrame.js';
import type { CloseReason, EventStreamOptions, InvalidFrame } from './EventStreamOptions.js';
import { encodeComment, encodeEvent } from './encodeEvent.js';
import type { EventMap, EventName, StreamMessage } from './eventMap.js';
import { FrameEncoder } from './FrameEncoder.js';
import { FrameQueue } from './FrameQueue.js';
import { flushSoon } from './flushSoon.js';
import type { HeartbeatTarget } from './HeartbeatWheel.js';
import { isValidEventId } from './lastEventId.js';
import { SseEncodeError } from './SseEncodeError.js';
import type { SseSink } from './SseSink.js';

/** Default `retryMs` of an {@link EventStream}. */
export const DEFAULT_RETRY_MS = 3000;
/** Default `maxQueueBytes` of an {@link EventStream}: 1 MiB. */
export const DEFAULT_MAX_QUEUE_BYTES = 1024 * 1024;
/** Default `maxQueueFrames` of an {@link EventStream}. */
export const DEFAULT_MAX_QUEUE_FRAMES = 1000;
/** Default `slowClientMs` of an {@link EventStream}: 30 s. */
export const DEFAULT_SLOW_CLIENT_MS = 30_000;

const HEARTBEAT = new EncodedFrame(encodeComment('heartbeat'));
/** Pending frames past this size are written at once rather than at the end of the turn. */
const COALESCE_MAX_CHARS = 64 * 1024;
const IDLE = 0;
const OPEN = 1;
const CLOSED = 2;

/** The frames a stream wrote this turn, waiting for the coalesced flush. */
interface Pending {
  readonly frames: EncodedFrame[];
  chars: number;
}

/**
 * What an object that holds an {@link EventStream} (and what the stream feeds from) is told as the stream
 * closes: one method on the holder itself, so a server holding tens of thousands of streams adds no
 * closure per stream.
 */
export interface EventStreamOwner {
  /** Called once as the stream closes, before its `onClose` listeners. */
  streamClosed(reason: CloseReason): void;
}

/** What only some streams need, made on first use: a server holds tens of thousands of streams. */
interface Extras {
  controller?: AbortController;
  closed?: Promise<CloseReason>;
  closeListeners?: Array<(reason: CloseReason) => void> | undefined;
  onAbort?: () => void;
  /** Frames held while the client is not reading. */
  queue?: FrameQueue;
  drainListener?: () => void;
  /** While bytes wait for the client (delivery sweep): what it had taken, and since when. */
  progress?: { taken: number; at: number } | undefined;
}

function checkedLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`EventStream option ${name} must be a non-negative integer, got ${value}.`);
  }
  return value;
}

/**
 * A typed, validated SSE writer over an {@link SseSink}. `open()` writes `retry:` first; `send()` validates,
 * encodes and writes one event with its id; `sendBatch()` writes events that arrived together as one chunk,
 * encoded once for every stream sharing the `frameCache`. Terminal events, refused frames, slow consumers, an
 * aborted `signal` option and a vanished client all close it. On close it leaves the heartbeat wheel, removes
 * the sink listeners it added, aborts {@link EventStream.signal} and calls the `onClose` listeners.
 *
 * Kept small on purpose, since a server holds tens of thousands: what the options decide is worked out once
 * per options object, and `signal`, `closed` and the slow-consumer queue are only made when first needed.
 */
export class EventStream<E extends EventMap> implements HeartbeatTarget {
  /** When the stream last wrote to its sink (`performance.now()`), for the heartbeat wheel. */
  lastWriteAt = 0;
  readonly #sink: SseSink;
  readonly #options: EventStreamOptions<E>;
  readonly #encoder: FrameEncoder<E>;
  readonly #owner: EventStreamOwner | undefined;
  #state = IDLE;
  #reason: CloseReason | undefined;
  #congested = false;
  #lastEventId: string | undefined;
  /** Frames written this turn that wait for the coalesced flush (`coalesce` option). */
  #pending: Pending | undefined;
  #extras: Extras | undefined;
  /** Listens to the sink's 'close' and 'error'. */
  readonly #onGone: () => void;

  /**
   * Attaches to `sink` at once, so a client that leaves before `open()` still closes the stream. `owner`, if
   * any, is told when the stream closes (see {@link EventStreamOwner}).
   */
  constructor(sink: SseSink, options: EventStreamOptions<E>, owner?: EventStreamOwner) {
    this.#sink = sink;
    this.#options = options;
    this.#owner = owner;
    this.#encoder = FrameEncoder.for(options);
    checkedLimit('maxQueueBytes', options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES);
    checkedLimit('maxQueueFrames', options.maxQueueFrames ?? DEFAULT_MAX_QUEUE_FRAMES);
    checkedLimit('slowClientMs', options.slowClientMs ?? DEFAULT_SLOW_CLIENT_MS);
    // Made here, unnamed: a class-field arrow function gets its name set at run time, which costs V8 a
    // property store of about 250 bytes per stream.
    this.#onGone = () => this.#gone();
    sink.on('close', this.#onGone);
    sink.on('error', this.#onGone);
    if (options.signal) {
      const onAbort = (): void => this.close('aborted');
      this.#more().onAbort = onAbort;
      options.signal.addEventListener('abort', onAbort, { once: true });
    }
  }

  /** Resolves with the reason once the stream is closed; never rejects. */
  get closed(): Promise<CloseReason> {
    const extras = this.#more();
    extras.closed ??=
      this.#reason === undefined
        ? new Promise((resolve) => this.onClose(resolve))
        : Promise.resolve(this.#reason);
    return extras.closed;
  }

  /** Aborted when the stream closes: hand it to producers and subscriptions. */
  get signal(): AbortSignal {
    const extras = this.#more();
    if (!extras.controller) {
      extras.controller = new AbortController();
      if (this.#state === CLOSED) extras.controller.abort();
    }
    return extras.controller.signal;
  }

  /** Calls `listener` once when the stream closes (at once if it is closed already). */
  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#reason !== undefined) listener(this.#reason);
    else {
      const extras = this.#more();
      extras.closeListeners ??= [];
      extras.closeListeners.push(listener);
    }
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
    return this.#state === OPEN;
  }

  /**
   * Writes the `retry:` line (`retryMs`, default the `retryMs` option) and joins the heartbeat wheel.
   * Idempotent; no-op once closed.
   */
  open(retryMs: number = this.#options.retryMs ?? DEFAULT_RETRY_MS): this {
    if (this.#state !== IDLE) return this;
    this.#state = OPEN;
    // Gone before it opened: its sink will not emit 'close' again, nor its signal 'abort'.
    if (this.#options.signal?.aborted) {
      this.close('aborted');
      return this;
    }
    if (this.#sink.destroyed) {
      this.close('client-gone');
      return this;
    }
    this.#write(new EncodedFrame(encodeEvent({ retry: retryMs })));
    if (this.isOpen) this.#options.heartbeat?.add(this);
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
    if (!this.#writable('send')) return false;
    const frame = this.#encoder.encode(event, data, id);
    if (!(frame instanceof EncodedFrame)) {
      this.#refuse({ event, id, data, issues: frame });
      return false;
    }
    const written = this.#written(frame);
    if (written && this.#encoder.isTerminal(event)) this.close('terminal');
    return written;
  }

  /**
   * Writes messages that arrived together (e.g. the events appended to a log in one turn) as one chunk. With a
   * shared `frameCache`, the batch array is validated and encoded once for all the streams it is sent to, and
   * each writes the same bytes. A batch holding a terminal event or an invalid payload is sent message by
   * message instead (so what precedes a refused frame is still written, as with `send`).
   *
   * @returns `true` if every message was written or queued; `false` as soon as one was not.
   * @throws {SseEncodeError} `invalid_id` unless every id passes `isValidEventId`.
   * @throws {Error} if called before `open()`.
   */
  sendBatch(messages: readonly StreamMessage<E>[]): boolean {
    if (!this.#writable('sendBatch')) return false;
    const frame = this.#encoder.encodeBatch(messages);
    if (frame === undefined) {
      for (const message of messages) if (!this.send(message.event, message.data, message.id)) return false;
      return true;
    }
    return this.#written(frame, this.#pending === undefined);
  }

  /**
   * Writes an id-only block (`id: <id>` and a blank line): it sets the client's last event id without an
   * event, e.g. so a stream that has sent nothing yet resumes from where it started.
   *
   * @throws {SseEncodeError} `invalid_id` unless `id` passes `isValidEventId`.
   */
  sendId(id: string): boolean {
    if (!this.#writable('sendId')) return false;
    if (!isValidEventId(id)) throw new SseEncodeError('invalid_id', `invalid event id ${JSON.stringify(id)}`);
    return this.#written(new EncodedFrame(encodeEvent({ id }), id));
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
    const frame = new EncodedFrame(encodeEvent({ retry: retryMs }));
    return this.#writable('sendRetry') && this.#write(frame);
  }

  /**
   * Drops the client (reason `stalled-consumer`) if bytes have waited for it and it has taken none of them
   * for `slowClientMs` (see that option). The heartbeat wheel calls this on each delivery sweep; `now` is
   * `performance.now()`.
   */
  checkDelivery(now: number): void {
    const limit = this.#slowClientMs();
    if (!this.isOpen || limit === 0) return;
    const delivery = this.#sink.delivery?.();
    if (delivery === undefined) {
      if (this.#congested && now - this.lastWriteAt >= limit) this.#dropStalled(now - this.lastWriteAt);
      return;
    }
    if (delivery.waiting === 0) {
      if (this.#extras?.progress) this.#extras.progress = undefined;
      return;
    }
    const extras = this.#more();
    const progress = extras.progress;
    if (progress === undefined) extras.progress = { taken: delivery.taken, at: now };
    else if (delivery.taken > progress.taken) {
      progress.taken = delivery.taken;
      progress.at = now;
    } else if (now - progress.at >= limit) this.#dropStalled(now - progress.at);
  }

  /** Writes a `: heartbeat` comment, unless the stream is closed or its client is not reading. */
  heartbeat(): void {
    if (!this.isOpen || this.#congested) return;
    this.#write(HEARTBEAT);
    this.#options.observer?.heartbeat?.();
  }

  /**
   * Closes the stream (idempotent). Queued frames are flushed and the sink ended, except for
   * `slow-consumer`, `stalled-consumer` and `client-gone`, where the sink is destroyed. Default reason: `closed`.
   */
  close(reason: CloseReason = 'closed'): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#reason = reason;
    this.#options.heartbeat?.remove(this);
    const extras = this.#extras;
    if (extras?.onAbort) this.#options.signal?.removeEventListener('abort', extras.onAbort);
    if (extras?.drainListener) this.#sink.off('drain', extras.drainListener);
    this.#release(reason);
    extras?.controller?.abort();
    this.#owner?.streamClosed(reason);
    const listeners = extras?.closeListeners;
    if (extras) extras.closeListeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }

  #more(): Extras {
    this.#extras ??= {};
    return this.#extras;
  }

  #writable(method: string): boolean {
    if (this.#state === IDLE) {
      throw new Error(
        `EventStream.${method}() called before open(): open first so that retry: is the first line.`,
      );
    }
    return this.#state === OPEN;
  }

  /** Writes an encoded event (or batch) and records it; coalesced unless `now`. */
  #written(frame: EncodedFrame, now = false): boolean {
    const written = this.#write(frame, now);
    if (!written) return false;
    this.#lastEventId = frame.lastId ?? this.#lastEventId;
    const observe = this.#options.observer?.frame;
    if (observe) for (const { event, bytes } of frame.events) observe(event, bytes);
    return true;
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
    const frame = this.#encoder.encode(option.event, option.payload(failure), failure.id);
    if (frame instanceof EncodedFrame) {
      this.#written(frame);
      return;
    }
    this.#options.logger?.error(
      { event: option.event, id: failure.id, issues: frame },
      'SSE error event failed validation too; ending the stream without it',
    );
  }

  #write(frame: EncodedFrame, now = false): boolean {
    if (frame.text === '') return true;
    if (this.#congested) return this.#enqueue(frame);
    this.lastWriteAt = performance.now();
    if (now || this.#options.coalesce !== true) {
      this.#put(frame);
      return true;
    }
    if (this.#pending === undefined) {
      this.#pending = { frames: [], chars: 0 };
      flushSoon(() => this.#flush());
    }
    const pending = this.#pending;
    pending.frames.push(frame);
    pending.chars += frame.text.length;
    if (pending.chars >= COALESCE_MAX_CHARS) this.#flush();
    return true;
  }

  #put(frame: EncodedFrame): void {
    const sink = this.#sink;
    const accepted = sink.writeFrame ? sink.writeFrame(frame) : sink.write(frame.text);
    if (accepted) return;
    this.#congested = true;
    const extras = this.#more();
    if (!extras.drainListener) {
      extras.drainListener = () => this.#onDrain();
      this.#sink.on('drain', extras.drainListener);
    }
  }

  #slowClientMs(): number {
    return this.#options.slowClientMs ?? DEFAULT_SLOW_CLIENT_MS;
  }

  #dropStalled(stalledMs: number): void {
    this.#options.logger?.warn(
      { stalledMs: Math.round(stalledMs), queuedBytes: this.#extras?.queue?.bytes ?? 0 },
      'SSE client took nothing of what waits for it for too long; dropping it',
    );
    this.close('stalled-consumer');
  }

  #enqueue(frame: EncodedFrame): boolean {
    const limit = this.#slowClientMs();
    // The write path's check: the sink has refused since lastWriteAt; one subtraction per queued frame.
    if (limit > 0 && performance.now() - this.lastWriteAt >= limit) {
      this.#dropStalled(performance.now() - this.lastWriteAt);
      return false;
    }
    const extras = this.#more();
    extras.queue ??= new FrameQueue({
      maxBytes: checkedLimit('maxQueueBytes', this.#options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES),
      maxFrames: checkedLimit('maxQueueFrames', this.#options.maxQueueFrames ?? DEFAULT_MAX_QUEUE_FRAMES),
    });
    const queue = extras.queue;
    if (queue.push(frame)) return true;
    this.#options.logger?.warn(
      { queuedFrames: queue.frames, queuedBytes: queue.bytes },
      'SSE client stopped reading and its queue is full; dropping it',
    );
    this.close('slow-consumer');
    return false;
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined || this.#state === CLOSED) return;
    const frame = EncodedFrame.join(pending.frames);
    if (this.#congested) this.#enqueue(frame);
    else this.#put(frame);
  }

  #release(reason: CloseReason): void {
    const pending = this.#pending?.frames ?? [];
    this.#pending = undefined;
    if (reason === 'slow-consumer' || reason === 'stalled-consumer' || reason === 'client-gone') {
      this.#extras?.queue?.clear();
      this.#sink.destroy();
    } else {
      // Pending frames are only held while the sink accepts writes, so they precede anything queued.
      const queued = this.#extras?.queue?.take();
      const rest = queued ? [...pending, queued] : pending;
      if (rest.length > 0) this.#put(EncodedFrame.join(rest));
      this.#sink.end();
    }
    if (this.#sink.destroyed) this.#detach();
  }

  #detach(): void {
    this.#sink.off('close', this.#onGone);
    this.#sink.off('error', this.#onGone);
  }

  #onDrain(): void {
    const queued = this.#extras?.queue?.take();
    this.#congested = false;
    if (queued === undefined || this.#state === CLOSED) return;
    this.lastWriteAt = performance.now();
    this.#put(queued);
  }

  // The error itself is dropped on purpose: a broken connection (ECONNRESET, EPIPE) is how clients
  // leave an SSE stream, a normal end rather than a fault. The listener stays until 'close' so a late
  // error while the last bytes flush cannot crash the process.
  #gone(): void {
    if (this.#sink.destroyed) this.#detach();
    this.close('client-gone');
  }
}
