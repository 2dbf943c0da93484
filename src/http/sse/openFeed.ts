import type { Context } from 'koa';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { EventLogUnavailableError } from '../../bus/index.js';
import type { StreamMessage } from '../../sse/index.js';
import { type StreamSettings, serveEventStream, serveUnavailable } from './serveEventStream.js';

/** A domain feed: a finished stream (answer 204) or the messages to stream. */
export type Feed<C extends ChannelId> =
  | { kind: 'finished' }
  | { kind: 'stream'; messages: AsyncIterable<StreamMessage<ChannelEvents[C]>> };

/**
 * Opens a domain feed with a lifetime signal and answers with it: `204 No Content` when the stream already
 * finished at the client's Last-Event-ID (this stops EventSource reconnecting), else the SSE stream. An
 * unreachable event log is answered as a stream that asks the client to retry (see `serveUnavailable`); any
 * other error before the stream starts releases what the feed subscribed to and becomes a problem+json answer.
 */
export async function answerWithFeed<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  open: (signal: AbortSignal) => Promise<Feed<C>>,
  resumeId?: string,
): Promise<void> {
  const lifetime = new AbortController();
  let feed: Feed<C>;
  try {
    feed = await open(lifetime.signal);
  } catch (error) {
    lifetime.abort();
    if (!(error instanceof EventLogUnavailableError)) throw error;
    settings.logger.warn({ err: error, channel }, 'event log unreachable; told the client to retry');
    serveUnavailable(ctx, channel, settings, resumeId);
    return;
  }
  if (feed.kind === 'finished') {
    lifetime.abort();
    ctx.status = 204;
    return;
  }
  await serveEventStream(ctx, channel, settings, feed.messages, lifetime);
}
