import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogGapError, EventLogUnavailableError, SubscriberOverflowError } from '../../bus/index.js';
import { EventStream, type HeartbeatWheel, runStream, type StreamMessage } from '../../sse/index.js';
import type { Metrics } from '../metrics.js';
import { metricsFor } from './channelMetrics.js';
import { channelStreamOptions } from './channelStreamOptions.js';
import { atDeadline } from './deadline.js';
import type { Admission, OpenStreams } from './OpenStreams.js';
import { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';

/** What every stream of the server shares. */
export interface StreamSettings {
  /** The `retry:` each stream starts with (plus its jitter). */
  readonly retryMs: number;
  /**
   * Each stream's `retry:` is `retryMs` plus up to this share of it at random (0.5: up to +50 %), so clients
   * cut off together come back spread out. Default: 0 (exactly `retryMs`).
   */
  readonly retryJitter?: number;
  readonly heartbeat: HeartbeatWheel;
  readonly logger: Logger;
  /** Aborted when the server shuts down. */
  readonly shutdown?: AbortSignal;
  /** Where streams count what they write. Default: not counted. */
  readonly metrics?: Metrics;
  /** The open streams, capped per client and in all, which a shutdown drains. Default: neither capped nor tracked. */
  readonly openStreams?: OpenStreams;
}

/** What `serveEventStream` needs to know of the request beyond its channel. */
export interface ServeOptions {
  /** The id the client resumed after: a stream ended before its first event keeps it. */
  readonly resumeId?: string | undefined;
  /** The stream's slot in `openStreams`: the stream is tracked under it and gives it back on close. */
  readonly admission?: Admission | undefined;
  /**
   * When the credential the stream was opened with expires (epoch ms): then it gets `stream-error`
   * `credential_expired` at its last id and ends. Default: never.
   */
  readonly expiresAt?: number | undefined;
}

function writeHead(ctx: Context): void {
  ctx.compress = false;
  ctx.respond = false;
  ctx.status = 200;
  const headers: Record<string, string> = {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  };
  // HTTP/2 forbids connection-specific headers.
  if (ctx.req.httpVersionMajor < 2) headers.Connection = 'keep-alive';
  ctx.res.writeHead(200, headers);
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.res.flushHeaders();
}

/**
 * Answers the request with the SSE stream of `channel`, fed by `source`. Call it only after every input was
 * validated and the source was opened: from here on errors go in-band. Headers, then `retry:`, then each
 * event after it is validated against its AsyncAPI message; a source failure is logged and ends the stream
 * with `stream-error`. When the stream closes for any reason (the client went away, which is not an error,
 * a terminal event, shutdown), `lifetime` is aborted so the source and its subscriptions tear down, and the
 * stream's admission is released.
 */
export function serveEventStream<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  source: AsyncIterable<StreamMessage<ChannelEvents[C]>>,
  lifetime: AbortController,
  options: ServeOptions = {},
): Promise<void> {
  writeHead(ctx);
  const logger = settings.logger.child({ channel });
  const counted = settings.metrics ? metricsFor(settings.metrics, channel) : undefined;
  const stream = new EventStream<ChannelEvents[C]>(ctx.res, {
    ...channelStreamOptions(channel),
    retryMs: jitteredRetry(settings.retryMs, settings.retryJitter ?? 0),
    heartbeat: settings.heartbeat,
    coalesce: true,
    logger,
    ...(settings.shutdown ? { signal: settings.shutdown } : {}),
    ...(counted ? { observer: counted.observer, onInvalidFrame: counted.rejected } : {}),
  }).open();
  if (counted) {
    counted.opened();
    void stream.closed.then(counted.closed);
  }
  const { admission } = options;
  admission?.track({
    channel,
    shutDown(retryMs) {
      stream.sendRetry(retryMs);
      sendStreamError(stream, SHUTTING_DOWN, stream.lastEventId ?? options.resumeId ?? '0');
      stream.close();
    },
  });
  const onClose = (): void => {
    admission?.release();
    lifetime.abort();
  };
  // A client that left before `open()` closed the stream already: its signal will not fire again.
  if (stream.signal.aborted) onClose();
  else stream.signal.addEventListener('abort', onClose, { once: true });
  if (options.expiresAt !== undefined) {
    atDeadline(options.expiresAt, stream.signal, () => {
      sendStreamError(stream, CREDENTIAL_EXPIRED, stream.lastEventId ?? options.resumeId ?? '0');
      stream.close();
    });
  }
  return runStream(stream, source)
    .catch((error: unknown) => {
      const transient = isTransient(error);
      if (transient)
        logger.warn({ err: error }, 'stream ended by an event log fault; the client will resume');
      else logger.error({ err: error }, 'stream producer failed');
      sendStreamError(stream, transient ? UNAVAILABLE : INTERNAL, stream.lastEventId ?? '0');
    })
    .finally(() => stream.close());
}

const UNAVAILABLE = {
  code: 'unavailable',
  message: 'The event log is unreachable; reconnect after the retry delay.',
};
const INTERNAL = { code: 'internal_error', message: 'The stream failed on the server; reconnect to resume.' };
const CREDENTIAL_EXPIRED = {
  code: 'credential_expired',
  message:
    'The credential of this stream expired; reconnect with a fresh one to resume after the last event id.',
};
const SHUTTING_DOWN = {
  code: 'shutting_down',
  message: 'This server is shutting down; reconnect after the retry delay to resume on another.',
};

/** Why a stream request is told to come back later instead of getting its stream. */
export type RetryLaterReason = 'unavailable' | 'shutting_down';

/** Faults after which the client's resume (replay, or reset) is the remedy, not a bug to log as an error. */
const isTransient = (error: unknown): boolean =>
  error instanceof EventLogUnavailableError ||
  error instanceof EventLogGapError ||
  error instanceof SubscriberOverflowError;

function sendStreamError<E extends Record<string, unknown>>(
  stream: EventStream<E>,
  failure: object,
  id: string,
): void {
  (stream as unknown as EventStream<Record<string, unknown>>).send('stream-error', failure, id);
}

/**
 * Answers a stream request that cannot be served now, while the event log is unreachable (`unavailable`) or
 * the server shuts down (`shutting_down`): `200 text/event-stream`, a `retry:` with jitter, one
 * `stream-error` with that code (keeping the client's resume id), then the end. A browser then reconnects
 * after the delay — never a 503, which would make EventSource give up for good.
 */
export function serveRetryLater<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  resumeId: string | undefined,
  reason: RetryLaterReason,
): void {
  writeHead(ctx);
  const stream = new EventStream<ChannelEvents[C]>(ctx.res, {
    ...channelStreamOptions(channel),
    retryMs: jitteredRetry(settings.retryMs, REFUSAL_RETRY_SPREAD),
  }).open();
  sendStreamError(stream, reason === 'unavailable' ? UNAVAILABLE : SHUTTING_DOWN, resumeId ?? '0');
  stream.close();
}
