import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogGapError, EventLogUnavailableError, SubscriberOverflowError } from '../../bus/index.js';
import { EventStream, type HeartbeatWheel, runStream, type StreamMessage } from '../../sse/index.js';
import { channelStreamOptions } from './channelStreamOptions.js';

/** What every stream of the server shares. */
export interface StreamSettings {
  readonly retryMs: number;
  readonly heartbeat: HeartbeatWheel;
  readonly logger: Logger;
  /** Aborted when the server shuts down. */
  readonly shutdown?: AbortSignal;
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
 * a terminal event, shutdown), `lifetime` is aborted so the source and its subscriptions tear down.
 */
export function serveEventStream<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  source: AsyncIterable<StreamMessage<ChannelEvents[C]>>,
  lifetime: AbortController,
): Promise<void> {
  writeHead(ctx);
  const logger = settings.logger.child({ channel });
  const stream = new EventStream<ChannelEvents[C]>(ctx.res, {
    ...channelStreamOptions(channel),
    retryMs: settings.retryMs,
    heartbeat: settings.heartbeat,
    logger,
    ...(settings.shutdown ? { signal: settings.shutdown } : {}),
  }).open();
  stream.signal.addEventListener('abort', () => lifetime.abort(), { once: true });
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
 * Answers a stream request while the event log is unreachable: `200 text/event-stream`, a `retry:` with
 * jitter, one `stream-error` `unavailable` (keeping the client's resume id), then the end. A browser then
 * reconnects after the delay — never a 503, which would make EventSource give up for good.
 */
export function serveUnavailable<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  resumeId: string | undefined,
): void {
  writeHead(ctx);
  const retryMs = Math.round(settings.retryMs * (1 + Math.random() * 0.5));
  const stream = new EventStream<ChannelEvents[C]>(ctx.res, {
    ...channelStreamOptions(channel),
    retryMs,
  }).open();
  sendStreamError(stream, UNAVAILABLE, resumeId ?? '0');
  stream.close();
}
