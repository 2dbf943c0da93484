import type { Context } from 'koa';
import type { ChannelId } from '../../../generated/events.js';
import { TooManyRequestsProblem } from '../errors/index.js';
import type { Admission, StreamLimitReached, TrackedStream } from './OpenStreams.js';
import { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';
import type { SharedStreamCap } from './SharedStreamCap.js';
import type { Streams } from './Streams.js';

const DETAIL = {
  client_limit: 'This client has as many streams open as it may (MAX_STREAMS_PER_CLIENT); close one first.',
  server_limit: 'The server has as many streams open as it may (MAX_STREAMS); retry later.',
} as const;

/** A slot of this instance together with its slot in the shared cap: released together. */
class SharedAdmission implements Admission {
  readonly #local: Admission;
  readonly #cap: SharedStreamCap;
  readonly #client: string;
  readonly #slot: number;

  constructor(local: Admission, cap: SharedStreamCap, client: string, slot: number) {
    this.#local = local;
    this.#cap = cap;
    this.#client = client;
    this.#slot = slot;
  }

  track(stream: TrackedStream): void {
    this.#local.track(stream);
  }

  release(): void {
    this.#local.release();
    this.#cap.release(this.#client, this.#slot);
  }
}

function refuse(channel: ChannelId, streams: Streams, reason: StreamLimitReached): never {
  streams.channels[channel].metrics?.refused(reason);
  throw new TooManyRequestsProblem(
    DETAIL[reason],
    jitteredRetry(streams.retryMs, REFUSAL_RETRY_SPREAD) / 1000,
  );
}

/**
 * Takes the request's stream slot in `streams.openStreams` (the client is `ctx.ip`: its address, or the one a
 * trusted proxy forwarded) and, with a shared cap (REDIS_URL), its lease there; or throws a 429 problem with
 * `Retry-After` (a jittered retry delay) when its cap or the server's is reached: before any stream byte, so
 * the client gets a plain HTTP answer. No `openStreams`: no cap, no slot.
 */
export async function admitStream(
  ctx: Context,
  channel: ChannelId,
  streams: Streams,
): Promise<Admission | undefined> {
  const local = streams.openStreams?.admit(ctx.ip);
  if (typeof local === 'string') refuse(channel, streams, local);
  if (local === undefined || streams.sharedCap === undefined) return local;
  const { sharedCap } = streams;
  const slot = await sharedCap.acquire(ctx.ip);
  if (slot !== 'client_limit') return new SharedAdmission(local, sharedCap, ctx.ip, slot);
  local.release();
  return refuse(channel, streams, 'client_limit');
}
