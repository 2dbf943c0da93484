import type { CloseReason, EventStreamObserver } from '../../sse/index.js';
import type { Metrics, ResumeOutcomeLabel, StreamRefusal } from '../metrics/metrics.js';

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

/** The instruments of `channel` in `metrics`, made once per channel (see `createChannelRegistry`). */
export function channelMetrics(metrics: Metrics, channel: string): ChannelMetrics {
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
      if (reason === 'slow-consumer') metrics.slowConsumerDrops.inc({ channel, reason: 'queue_full' });
      else if (reason === 'stalled-consumer') metrics.slowConsumerDrops.inc({ channel, reason: 'stalled' });
    },
    rejected: (failure) => metrics.framesRejected.inc({ channel, event: failure.event }),
    refused: (reason) => metrics.streamsRefused.inc({ channel, reason }),
    resumed: (outcome) => metrics.resumes.inc({ channel, outcome }),
  };
}
