import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import {
  type EventMap,
  type EventStreamOptions,
  type HeartbeatWheel,
  isPushSource,
  type MessageSource,
  runStream,
} from '../../sse/index.js';
import type { Metrics } from '../metrics.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../requestId.js';
import { metricsFor } from './channelMetrics.js';
import { channelStreamOptions } from './channelStreamOptions.js';
import type { OpenStreams } from './OpenStreams.js';
import { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';
import {
  type ChannelContext,
  type ChannelServedStream,
  ServedStream,
  STREAM_ERRORS,
  type StreamTies,
} from './ServedStream.js';
import { streamSink } from './streamSink.js';

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
  /** Aborted when the server shuts down: every stream still open is closed. */
  readonly shutdown?: AbortSignal;
  /** Where streams count what they write. Default: not counted. */
  readonly metrics?: Metrics;
  /** The open streams, capped per client and in all, which a shutdown drains. Default: neither capped nor tracked. */
  readonly openStreams?: OpenStreams;
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
  const { httpVersionMajor, httpVersionMinor } = ctx.req;
  // HTTP/2 forbids connection-specific headers; an HTTP/1.0 answer without a length ends with its connection.
  if (httpVersionMajor === 1 && httpVersionMinor >= 1) headers.Connection = 'keep-alive';
  const requestId = requestIdOf(ctx);
  if (requestId !== undefined) headers[REQUEST_ID_HEADER] = requestId;
  ctx.res.writeHead(200, headers);
  if (httpVersionMajor === 1) {
    // The connection is the stream's own: no timeout, and no Nagle delay on small frames. (An HTTP/2
    // request's `socket` stands for its session's, shared by other streams.)
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
  }
  ctx.res.flushHeaders();
}

interface ChannelSetup {
  readonly options: EventStreamOptions<EventMap>;
  readonly context: ChannelContext;
}

/**
 * What every stream of `channel` under `settings` shares, made once: a stream holds references to it rather
 * than copies (a server holds tens of thousands of streams).
 */
const setups = new WeakMap<StreamSettings, Map<ChannelId, ChannelSetup>>();

function setupOf(settings: StreamSettings, channel: ChannelId): ChannelSetup {
  let byChannel = setups.get(settings);
  if (!byChannel) {
    byChannel = new Map();
    setups.set(settings, byChannel);
  }
  let setup = byChannel.get(channel);
  if (!setup) {
    const metrics = settings.metrics ? metricsFor(settings.metrics, channel) : undefined;
    const logger = settings.logger.child({ channel });
    const options = {
      ...channelStreamOptions(channel),
      heartbeat: settings.heartbeat,
      coalesce: true,
      logger,
      ...(metrics ? { observer: metrics.observer, onInvalidFrame: metrics.rejected } : {}),
    } as unknown as EventStreamOptions<EventMap>;
    setup = { options, context: { channel, logger, metrics } };
    byChannel.set(channel, setup);
  }
  return setup;
}

/**
 * Answers the request with the SSE stream of `channel`, fed by `source`, and returns once it is set up (the
 * request's Koa context is not kept). Call it only after every input was validated and the source was opened:
 * from here on errors go in-band. Headers, then `retry:`, then each event after it is validated against its
 * AsyncAPI message; a source failure is logged and ends the stream with `stream-error`. When the stream closes
 * for any reason (the client went away, which is not an error, a terminal event, shutdown), a pushed source is
 * closed, `lifetime` is aborted so a pulled source's producer tears down, and the stream's admission is
 * released.
 */
export function serveEventStream<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  source: MessageSource<ChannelEvents[C]>,
  ties: StreamTies = {},
): void {
  writeHead(ctx);
  const { options, context } = setupOf(settings, channel);
  const stream: ChannelServedStream<C> = new ServedStream(
    streamSink(ctx),
    options as EventStreamOptions<ChannelEvents[C]>,
    context,
    ties,
  ).start(jitteredRetry(settings.retryMs, settings.retryJitter ?? 0), ties.expiresAt);
  if (isPushSource(source)) stream.follow(source);
  else
    runStream(stream, source).then(
      () => stream.close(),
      (error: unknown) => stream.end(error instanceof Error ? error : new Error(String(error))),
    );
}

/** Why a stream request is told to come back later instead of getting its stream. */
export type RetryLaterReason = 'unavailable' | 'shutting_down';

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
  const { options, context } = setupOf(settings, channel);
  // Not counted among the open streams: it ends at once.
  const stream = new ServedStream(streamSink(ctx), options, { ...context, metrics: undefined }, { resumeId });
  stream.open(jitteredRetry(settings.retryMs, REFUSAL_RETRY_SPREAD));
  stream.sendError(STREAM_ERRORS[reason]);
  stream.close();
}
