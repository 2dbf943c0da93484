import type { Context } from 'koa';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { isPushSource, type MessageSource, responseSink, runStream } from '../../sse/index.js';
import { REQUEST_ID_HEADER, requestIdOf } from '../middleware/requestId.js';
import { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';
import { ServedStream, STREAM_ERRORS, type StreamTies } from './ServedStream.js';
import type { Streams } from './Streams.js';

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
  streams: Streams,
  source: MessageSource<ChannelEvents[C]>,
  ties: StreamTies = {},
): void {
  writeHead(ctx);
  const entry = streams.channels[channel] as (typeof streams.channels)[C];
  const served = new ServedStream(responseSink(ctx.req, ctx.res), entry, ties).start(
    jitteredRetry(streams.retryMs, streams.retryJitter),
    ties.expiresAt,
  );
  if (isPushSource(source)) served.follow(source);
  else
    runStream(served.stream, source).then(
      () => served.close(),
      (error: unknown) => served.end(error instanceof Error ? error : new Error(String(error))),
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
  streams: Streams,
  resumeId: string | undefined,
  reason: RetryLaterReason,
): void {
  writeHead(ctx);
  const entry = streams.channels[channel] as (typeof streams.channels)[C];
  // Not counted among the open streams (`open`, not `start`): it ends at once.
  const served = new ServedStream(responseSink(ctx.req, ctx.res), entry, { resumeId });
  served.open(jitteredRetry(streams.retryMs, REFUSAL_RETRY_SPREAD));
  served.sendError(STREAM_ERRORS[reason]);
  served.close();
}
