import type { Logger } from 'pino';
import type { HeartbeatWheel } from '../../sse/index.js';
import type { Metrics } from '../metrics/metrics.js';
import { type ChannelRegistry, createChannelRegistry } from './ChannelRegistry.js';
import type { OpenStreams } from './OpenStreams.js';
import type { SharedStreamCap } from './SharedStreamCap.js';

/** What every stream of the server shares, as the app is given it. */
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
  /** The open streams, capped per client and in all, which a shutdown drains. Default: neither capped nor tracked. */
  readonly openStreams?: OpenStreams;
  /** The per-client cap shared with the other instances (REDIS_URL), on top of `openStreams`. Default: none. */
  readonly sharedCap?: SharedStreamCap | undefined;
}

/** The streams of one app: its settings, and the per-channel registry built once from them. */
export interface Streams {
  readonly retryMs: number;
  readonly retryJitter: number;
  readonly logger: Logger;
  readonly openStreams: OpenStreams | undefined;
  readonly sharedCap: SharedStreamCap | undefined;
  readonly channels: ChannelRegistry;
}

/** Builds the streams of one app (`createApp` does, once); `metrics`, if any, counts what they write. */
export function createStreams(settings: StreamSettings, metrics?: Metrics): Streams {
  return {
    retryMs: settings.retryMs,
    retryJitter: settings.retryJitter ?? 0,
    logger: settings.logger,
    openStreams: settings.openStreams,
    sharedCap: settings.sharedCap,
    channels: createChannelRegistry({ heartbeat: settings.heartbeat, logger: settings.logger, metrics }),
  };
}
