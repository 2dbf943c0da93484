import type { CloseReason, EventStreamObserver } from '../../sse/index.js';
import type { Metrics, ResumeOutcomeLabel, StreamRefusal } from '../metrics.js';

/** What one channel's streams report: open/close, frames, heartbeats, refusals, resumes. */
export interface ChannelMetrics {
  readonly observer: EventStreamObserver;
  opened(): void;
  closed(reason: CloseReason): void;
  rejected(failure: { readonly event: string }): void;
  refused(reason: StreamRefusal): void;
  resumed(outcome: ResumeOutcomeLabel): void;
}

function timestampOf(data: unknown): number | undefined {
  const value = (data as { timestamp?: unknown } | null)?.timestamp;
  return typeof value === 'string' ? Date.parse(value) : undefined;
}

function channelMetrics(metrics: Metrics, channel: string): ChannelMetrics {
  const tally = metrics.frameTally.of(channel);
  const heartbeats = metrics.heartbeats.labels(channel);
  const lag = metrics.eventLag.labels(channel);
  const open = metrics.streamsOpen.labels(channel);
  return {
    observer: {
      frame: (event, bytes) => tally.add(event, bytes),
      encoded(_event, data) {
        const at = timestampOf(data);
        if (at !== undefined && Number.isFinite(at)) lag.observe(Math.max(0, Date.now() - at) / 1000);
      },
      heartbeat: () => heartbeats.inc(),
    },
    opened: () => open.inc(),
    closed(reason) {
      open.dec();
      if (reason === 'slow-consumer') metrics.slowConsumerDrops.inc({ channel });
    },
    rejected: (failure) => metrics.framesRejected.inc({ channel, event: failure.event }),
    refused: (reason) => metrics.streamsRefused.inc({ channel, reason }),
    resumed: (outcome) => metrics.resumes.inc({ channel, outcome }),
  };
}

const cache = new WeakMap<Metrics, Map<string, ChannelMetrics>>();

/** The instruments of `channel` in `metrics`, created once and then shared by all its streams. */
export function metricsFor(metrics: Metrics, channel: string): ChannelMetrics {
  let channels = cache.get(metrics);
  if (!channels) {
    channels = new Map();
    cache.set(metrics, channels);
  }
  let found = channels.get(channel);
  if (!found) {
    found = channelMetrics(metrics, channel);
    channels.set(channel, found);
  }
  return found;
}
