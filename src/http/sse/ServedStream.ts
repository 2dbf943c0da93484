import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogGapError, EventLogUnavailableError, SubscriberOverflowError } from '../../domain/index.js';
import {
  type CloseReason,
  EventStream,
  type EventStreamOwner,
  type PushSource,
  type PushTarget,
  type SseSink,
  type StreamMessage,
} from '../../sse/index.js';
import type { ChannelEntry } from './ChannelRegistry.js';
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
  invalid_frame: {
    code: 'invalid_frame',
    message: 'The server produced an event that does not match its schema; it was not sent.',
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

/** What ties one stream to the server. */
export interface StreamTies {
  /** The id the client resumed after: a stream ended before its first event keeps it. */
  readonly resumeId?: string | undefined;
  /**
   * Written as an id-only block right after `retry:`: where a new stream starts, so a client that reconnects
   * before the first event resumes from there rather than from nothing. Default: none.
   */
  readonly startId?: string | undefined;
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
 * One stream of the server: it holds the stream's EventStream (the protocol) and what ties it to the server
 * (its channel's entry, its slot among the open streams, the source that feeds it), in one object, so a
 * server holding tens of thousands of streams keeps one such object per stream rather than a closure per tie.
 * It is the target of a pushed source, the tracked stream a shutdown drains and the owner its EventStream
 * tells when it closes; on close it releases its slot and its source.
 */
export class ServedStream<C extends ChannelId>
  implements PushTarget<ChannelEvents[C]>, TrackedStream, EventStreamOwner
{
  readonly #stream: EventStream<ChannelEvents[C]>;
  readonly #entry: ChannelEntry<C>;
  readonly #resumeId: string | undefined;
  readonly #startId: string | undefined;
  readonly #admission: Admission | undefined;
  readonly #lifetime: AbortController | undefined;
  #source: PushSource<ChannelEvents[C]> | undefined;
  #ended = false;
  /** Counted among the open streams of its channel's metrics (from `start`). */
  #counted = false;

  constructor(sink: SseSink, entry: ChannelEntry<C>, ties: StreamTies = {}) {
    this.#entry = entry;
    this.#resumeId = ties.resumeId;
    this.#startId = ties.startId;
    this.#admission = ties.admission;
    this.#lifetime = ties.lifetime;
    this.#stream = new EventStream(sink, entry.options, this);
  }

  /** The AsyncAPI channel it serves. */
  get channel(): C {
    return this.#entry.channel;
  }

  /** The protocol stream it writes to, e.g. for `runStream` to pull a source into. */
  get stream(): EventStream<ChannelEvents[C]> {
    return this.#stream;
  }

  /** Writes `retry:` (`retryMs`) and nothing else: for an answer that ends at once, not counted as open. */
  open(retryMs: number): this {
    this.#stream.open(retryMs);
    return this;
  }

  /** Starts the stream (`retry:` of `retryMs` first), counts it as open and ends it at `expiresAt`. */
  start(retryMs: number, expiresAt?: number): this {
    const stream = this.#stream;
    stream.open(retryMs);
    if (this.#startId !== undefined) stream.sendId(this.#startId);
    this.#counted = true;
    this.#entry.metrics?.opened();
    this.#admission?.track(this);
    if (expiresAt !== undefined && stream.isOpen) {
      atDeadline(expiresAt, stream.signal, () => {
        this.sendError(STREAM_ERRORS.credential_expired);
        stream.close();
      });
    }
    return this;
  }

  /** Follows a pushed source until either ends: each batch as it comes. */
  follow(source: PushSource<ChannelEvents[C]>): void {
    if (!this.#stream.isOpen) {
      source.close();
      return;
    }
    this.#source = source;
    source.listen(this);
  }

  messages(batch: readonly StreamMessage<ChannelEvents[C]>[]): void {
    if (this.#ended) return;
    try {
      if (!this.#stream.sendBatch(batch)) this.end();
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
      const { logger } = this.#entry;
      if ((error as { code?: unknown }).code === 'invalid_frame') {
        // A producer that checked its own payload against the schema and refused it.
        logger.error({ err: error, channel: this.channel }, 'SSE frame failed validation and was not sent');
        this.sendError(STREAM_ERRORS.invalid_frame);
      } else {
        if (transient)
          logger.warn({ err: error }, 'stream ended by an event log fault; the client will resume');
        else logger.error({ err: error }, 'stream producer failed');
        this.sendError(transient ? STREAM_ERRORS.unavailable : STREAM_ERRORS.internal_error);
      }
    }
    this.#stream.close();
  }

  /** Closes the stream (see `EventStream.close`). */
  close(): void {
    this.#stream.close();
  }

  /** Ends the stream for a shutdown: a last `retry:` of `retryMs`, then `stream-error` `shutting_down`. */
  shutDown(retryMs: number): void {
    const stream = this.#stream;
    if (!stream.isOpen) return;
    stream.sendRetry(retryMs);
    this.sendError(STREAM_ERRORS.shutting_down);
    stream.close();
  }

  /** Writes the spec's `stream-error` at the last event id (or the client's resume id). */
  sendError(failure: (typeof STREAM_ERRORS)[keyof typeof STREAM_ERRORS]): void {
    const stream = this.#stream;
    if (!stream.isOpen) return;
    const id = stream.lastEventId ?? this.#resumeId ?? '0';
    (stream as unknown as EventStream<Record<string, unknown>>).send('stream-error', failure, id);
  }

  streamClosed(reason: CloseReason): void {
    this.#ended = true;
    this.#source?.close();
    this.#source = undefined;
    if (this.#counted) this.#entry.metrics?.closed(reason);
    this.#admission?.release();
    this.#lifetime?.abort();
  }
}
