import type { Context } from 'koa';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import type { StreamMessage } from '../../sse/index.js';
import { type StreamSettings, serveEventStream } from './serveEventStream.js';

/** A domain feed: a finished stream (answer 204) or the messages to stream. */
export type Feed<C extends ChannelId> =
  | { kind: 'finished' }
  | { kind: 'stream'; messages: AsyncIterable<StreamMessage<ChannelEvents[C]>> };

/**
 * Opens a domain feed with a lifetime signal and answers with it: `204 No Content` when the stream already
 * finished at the client's Last-Event-ID (this stops EventSource reconnecting), else the SSE stream. Any
 * error before the stream starts releases what the feed subscribed to and becomes a problem+json answer.
 */
export async function answerWithFeed<C extends ChannelId>(
  ctx: Context,
  channel: C,
  settings: StreamSettings,
  open: (signal: AbortSignal) => Promise<Feed<C>>,
): Promise<void> {
  const lifetime = new AbortController();
  let feed: Feed<C>;
  try {
    feed = await open(lifetime.signal);
  } catch (error) {
    lifetime.abort();
    throw error;
  }
  if (feed.kind === 'finished') {
    lifetime.abort();
    ctx.status = 204;
    return;
  }
  await serveEventStream(ctx, channel, settings, feed.messages, lifetime);
}
