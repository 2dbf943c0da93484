import type { Logger } from 'pino';
import { channels } from '../../../generated/channels.js';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import { type EventStreamOptions, FrameCache, type HeartbeatWheel } from '../../sse/index.js';
import type { Metrics } from '../metrics/metrics.js';
import { type ChannelMetrics, channelMetrics } from './channelMetrics.js';
import { channelStreamOptions } from './channelStreamOptions.js';

/**
 * What every stream of one channel shares, made once per app: a stream holds a reference to it rather than
 * copies (a server holds tens of thousands of streams).
 */
export interface ChannelEntry<C extends ChannelId> {
  readonly channel: C;
  /**
   * The EventStream options of the channel: its validators, grammar, unnamed and raw-data events and
   * `stream-error`, the heartbeat wheel, coalescing, its logger and metrics observer, and its one
   * {@link FrameCache}, so an event broadcast to every subscriber is validated and encoded once.
   */
  readonly options: EventStreamOptions<ChannelEvents[C]>;
  readonly logger: Logger;
  /** Its instruments; `undefined` when the app counts nothing. */
  readonly metrics: ChannelMetrics | undefined;
}

/** Every AsyncAPI channel's {@link ChannelEntry}. */
export type ChannelRegistry = { readonly [C in ChannelId]: ChannelEntry<C> };

/** What the registry is built from. */
export interface ChannelRegistryDeps {
  readonly heartbeat: HeartbeatWheel;
  /** See `StreamSettings.slowClientMs`. */
  readonly slowClientMs?: number | undefined;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
}

function entry<C extends ChannelId>(channel: C, deps: ChannelRegistryDeps): ChannelEntry<C> {
  const metrics = deps.metrics ? channelMetrics(deps.metrics, channel) : undefined;
  const logger = deps.logger.child({ channel });
  const options: EventStreamOptions<ChannelEvents[C]> = {
    ...channelStreamOptions(channel),
    frameCache: new FrameCache(),
    heartbeat: deps.heartbeat,
    ...(deps.slowClientMs !== undefined ? { slowClientMs: deps.slowClientMs } : {}),
    coalesce: true,
    logger,
    ...(metrics ? { observer: metrics.observer, onInvalidFrame: metrics.rejected } : {}),
  };
  return { channel, options, logger, metrics };
}

/** Builds the entry of every channel, once (`createApp` does, for the app's lifetime). */
export function createChannelRegistry(deps: ChannelRegistryDeps): ChannelRegistry {
  const ids = Object.keys(channels) as ChannelId[];
  return Object.fromEntries(
    ids.map((channel) => [channel, entry(channel, deps)]),
  ) as unknown as ChannelRegistry;
}
