import type { Logger } from 'pino';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogGapError, EventLogUnavailableError, SubscriberOverflowError } from '../../bus/index.js';
import {
  type CloseReason,
  type EventMap,
  EventStream,
  type EventStreamOptions,
  type PushSource,
  type PushTarget,
  type SseSink,
  type StreamMessage,
} from '../../sse/index.js';
import type { ChannelMetrics } from './channelMetrics.js';
import { atDeadline } from './deadline.js';
import type { Admission, TrackedStream } from './OpenStreams.js';

/** The in-band errors a served stream ends with, as its `stream-error` payloads. */
export const STREAM_ERRORS = {
  unavailable: {
    code: 'unavailable',
    message: 'The event log is unreachable; reconnect after the retry delay.',
  },
  internal_error: {
    code: 'internal_error',
    message: 'The stream failed on the server; reconnect to resume.',
  },
  shutting_down: {
    code: 'shutting_down',
    message: 'This server is shutting down; reconnect after the retry delay to resume on another.',
  },
  credential_expired: {
    code: 'credential_expired',
    message: 'The credential this stream was opened with expired; reconnect with a fresh one to resume.',
  },
} as const;

/** Faults after which the client's resume (replay, or reset) is the remedy, not a bug to log as an error. */
const isTransient = (error: unknown): boolean =>
  error instanceof EventLogUnavailableError ||
  error instanceof EventLogGapError ||
  error instanceof SubscriberOverflowError;

/** What every stream of one channel shares: made once per channel, referenced by each stream. */
export interface ChannelContext {
  readonly channel: ChannelId;
  readonly logger: Logger;
  readonly metrics?: ChannelMetrics | undefined;
}

/** What ties one stream to the server. */
export interface StreamTies {
  /** The id the client resumed after: a stream ended before its first event keeps it. */
  readonly resumeId?: string | undefined;
  /** Its slot among the open streams, given back on close. */
  readonly admission?: Admission | undefined;
  /** Aborted on close, for a pulled source's producer to stop. */
  readonly lifetime?: AbortController | undefined;
  /**
   * When the credential the stream was opened with expires (epoch ms): then it gets `stream-error`
   * `credential_expired` at its last id and ends. Default: never.
   */
  readonly expiresAt?: number | undefined;
}

/**
 * One stream of the server: the EventStream, and in the same object what ties it to the server (its slot among
 * the open streams, its metrics, the source that feeds it), so a server holding tens of thousands of streams
 * keeps one object per stream rather than a closure per tie. It is the target of a pushed source and the
 * tracked stream a shutdown drains; on close it releases its slot and its source.
 */
export class ServedStream<E extends EventMap> extends EventStream<E> implements PushTarget<E>, TrackedStream {
  readonly #context: ChannelContext;
  readonly #resumeId: string | undefined;
  readonly #admission: Admission | undefined;
  readonly #lifetime: AbortController | undefined;
  #source: PushSource<E> | undefined;
  #ended = false;

  constructor(sink: SseSink, options: EventStreamOptions<E>, context: ChannelContext, ties: StreamTies = {}) {
    super(sink, options);
    this.#context = context;
    this.#resumeId = ties.resumeId;
    this.#admission = ties.admission;
    this.#lifetime = ties.lifetime;
  }

  /** The AsyncAPI channel it serves. */
  get channel(): ChannelId {
    return this.#context.channel;
  }

  /** Starts the stream (`retry:` of `retryMs` first), counts it as open and ends it at `expiresAt`. */
  start(retryMs: number, expiresAt?: number): this {
    this.open(retryMs);
    this.#context.metrics?.opened();
    this.#admission?.track(this);
    if (expiresAt !== undefined && this.isOpen) {
      atDeadline(expiresAt, this.signal, () => {
        this.sendError(STREAM_ERRORS.credential_expired);
        this.close();
      });
    }
    return this;
  }

  /** Follows a pushed source until either ends: each batch as it comes. */
  follow(source: PushSource<E>): void {
    if (!this.isOpen) {
      source.close();
      return;
    }
    this.#source = source;
    source.listen(this);
  }

  messages(batch: readonly StreamMessage<E>[]): void {
    if (this.#ended) return;
    try {
      if (!this.sendBatch(batch)) this.end();
    } catch (error) {
      this.end(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The source ended: with an error, logged and told in-band (`stream-error`); either way the stream ends. */
  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#source?.close();
    if (error !== undefined) {
      const transient = isTransient(error);
      const { logger } = this.#context;
      if (transient)
        logger.warn({ err: error }, 'stream ended by an event log fault; the client will resume');
      else logger.error({ err: error }, 'stream producer failed');
      this.sendError(transient ? STREAM_ERRORS.unavailable : STREAM_ERRORS.internal_error);
    }
    this.close();
  }

  /** Ends the stream for a shutdown: a last `retry:` of `retryMs`, then `stream-error` `shutting_down`. */
  shutDown(retryMs: number): void {
    if (!this.isOpen) return;
    this.sendRetry(retryMs);
    this.sendError(STREAM_ERRORS.shutting_down);
    this.close();
  }

  /** Writes the spec's `stream-error` at the last event id (or the client's resume id). */
  sendError(failure: (typeof STREAM_ERRORS)[keyof typeof STREAM_ERRORS]): void {
    if (!this.isOpen) return;
    const id = this.lastEventId ?? this.#resumeId ?? '0';
    (this as unknown as EventStream<Record<string, unknown>>).send('stream-error', failure, id);
  }

  protected override onClosed(reason: CloseReason): void {
    this.#ended = true;
    this.#source?.close();
    this.#source = undefined;
    this.#context.metrics?.closed(reason);
    this.#admission?.release();
    this.#lifetime?.abort();
  }
}

/** A served stream of one channel. */
export type ChannelServedStream<C extends ChannelId> = ServedStream<ChannelEvents[C]>;
