import type { Context } from 'koa';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogUnavailableError, StoreUnavailableError } from '../../domain/index.js';
import { isPushSource, type MessageSource } from '../../sse/index.js';
import { admitStream } from './admitStream.js';
import type { Streams } from './Streams.js';
import { type RetryLaterReason, serveEventStream, serveRetryLater } from './serveEventStream.js';

/**
 * A domain feed: a finished stream (answer 204) or the messages to stream and, for a resumable channel, how
 * they start (`live`, `replayed` after the resume id, or `reset`). Messages are pulled (an `AsyncIterable`,
 * whose producer stops when the `signal` given to `open` aborts) or pushed (a `PushSource`, which is closed
 * when the stream closes; the signal is then not aborted, so a pushed feed releases what it holds in `close`).
 */
export type Feed<C extends ChannelId> =
  | { kind: 'finished' }
  | {
      kind: 'stream';
      messages: MessageSource<ChannelEvents[C]>;
      resume?: 'live' | 'replayed' | 'reset';
      /** When the credential the stream is opened with expires (epoch ms): the stream ends then. */
      expiresAt?: number | undefined;
      /** The id where a new stream starts, written as an id-only block before any event. */
      startId?: string | undefined;
    };

/** Counts how a resumed request was answered, where the feed decided it. */
function countResume<C extends ChannelId>(settings: Streams, channel: C, feed: Feed<C>): void {
  const metrics = settings.channels[channel].metrics;
  if (!metrics) return;
  const outcome = feed.kind === 'finished' ? 'finished' : feed.resume;
  if (outcome === 'finished' || outcome === 'replayed' || outcome === 'reset') {
    metrics.resumed(outcome);
  }
}

function retryLater<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: Streams,
  resumeId: string | undefined,
  reason: RetryLaterReason,
): void {
  settings.channels[channel].metrics?.refused(reason);
  serveRetryLater(ctx, channel, settings, resumeId, reason);
}

/** What a caller may add to a stream it answers with a feed. */
/**
 * Opens a domain feed with a lifetime signal and answers with it: `204 No Content` when the stream already
 * finished at the client's Last-Event-ID (this stops EventSource reconnecting), else the SSE stream. An
 * unreachable event log, or a server that is shutting down, is answered as a stream that asks the client to
 * retry (see `serveRetryLater`). A client or server at its stream cap is refused with 429 before the feed
 * opens. Any other error before the stream starts releases what the feed subscribed to and becomes a
 * problem+json answer. Resolves once the stream is set up, not when it ends.
 */
export async function answerWithFeed<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: Streams,
  open: (signal: AbortSignal) => Promise<Feed<C>>,
  resumeId?: string,
): Promise<void> {
  if (settings.openStreams?.draining) return retryLater(ctx, channel, settings, resumeId, 'shutting_down');
  if (ctx.method === 'HEAD') return answerHead(ctx);
  const admission = await admitStream(ctx, channel, settings);
  const lifetime = new AbortController();
  const giveUp = (): void => {
    lifetime.abort();
    admission?.release();
  };
  let feed: Feed<C>;
  try {
    feed = await open(lifetime.signal);
  } catch (error) {
    giveUp();
    if (!(error instanceof EventLogUnavailableError || error instanceof StoreUnavailableError)) throw error;
    settings.logger.warn({ err: error, channel }, 'event log unreachable; told the client to retry');
    return retryLater(ctx, channel, settings, resumeId, 'unavailable');
  }
  if (settings.openStreams?.draining) {
    giveUp();
    closeSource(feed);
    return retryLater(ctx, channel, settings, resumeId, 'shutting_down');
  }
  if (resumeId !== undefined) countResume(settings, channel, feed);
  if (feed.kind === 'finished') {
    giveUp();
    ctx.status = 204;
    return;
  }
  const pushed = isPushSource(feed.messages);
  try {
    serveEventStream(ctx, channel, settings, feed.messages, {
      resumeId,
      admission,
      expiresAt: feed.expiresAt,
      startId: feed.startId,
      ...(pushed ? {} : { lifetime }),
    });
  } catch (error) {
    // The stream could not even be set up (e.g. its client left meanwhile): release what was taken for it.
    giveUp();
    closeSource(feed);
    throw error;
  }
}

/** A `HEAD` of a stream: the stream's headers, and no stream (a `HEAD` answer has no body to carry one). */
function answerHead(ctx: Context): void {
  ctx.status = 200;
  ctx.type = 'text/event-stream; charset=utf-8';
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('X-Accel-Buffering', 'no');
}

/** Releases a pushed feed's subscription when the stream will not be served after all. */
function closeSource<C extends ChannelId>(feed: Feed<C>): void {
  if (feed.kind === 'stream' && isPushSource(feed.messages)) feed.messages.close();
}
