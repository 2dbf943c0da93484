import type { Context } from 'koa';
import type { ChannelId } from '../../../generated/events.js';
import { TooManyRequestsProblem } from '../errors/index.js';
import type { Admission } from './OpenStreams.js';
import { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';
import type { Streams } from './Streams.js';

const DETAIL = {
  client_limit: 'This client has as many streams open as it may (MAX_STREAMS_PER_CLIENT); close one first.',
  server_limit: 'The server has as many streams open as it may (MAX_STREAMS); retry later.',
} as const;

/**
 * Takes the request's stream slot in `streams.openStreams` (the client is its IP address), or throws a 429
 * problem with `Retry-After` (a jittered retry delay) when its cap or the server's is reached: before any
 * stream byte, so the client gets a plain HTTP answer. No `openStreams`: no cap, no slot.
 */
export function admitStream(ctx: Context, channel: ChannelId, streams: Streams): Admission | undefined {
  const admission = streams.openStreams?.admit(ctx.ip);
  if (admission === undefined || typeof admission === 'object') return admission;
  streams.channels[channel].metrics?.refused(admission);
  throw new TooManyRequestsProblem(
    DETAIL[admission],
    jitteredRetry(streams.retryMs, REFUSAL_RETRY_SPREAD) / 1000,
  );
}
