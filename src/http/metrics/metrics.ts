import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { FrameTally } from './FrameTally.js';

/** How a resumed stream (Last-Event-ID or `?lastEventId=`) started. */
export type ResumeOutcomeLabel = 'replayed' | 'reset' | 'finished';

/** Why a stream was answered without opening it. */
export type StreamRefusal = 'client_limit' | 'server_limit' | 'shutting_down' | 'unavailable';

/** The Prometheus instruments of one app instance, all in its own {@link Registry}. */
export interface Metrics {
  readonly registry: Registry;
  /** The text `/metrics` answers: this registry's, or with WORKERS > 1 every worker's (see `MetricsOptions`). */
  scrape(): Promise<string>;
  readonly streamsOpen: Gauge<'channel'>;
  /** Where streams count frames and bytes; added to `frames` and `frameBytes` on each scrape. */
  readonly frameTally: FrameTally;
  readonly frames: Counter<'channel' | 'event'>;
  readonly frameBytes: Counter<'channel' | 'event'>;
  readonly framesRejected: Counter<'channel' | 'event'>;
  /** `reason`: `queue_full` (over the byte or frame bound) or `stalled` (nothing taken for SSE_SLOW_CLIENT_MS). */
  readonly slowConsumerDrops: Counter<'channel' | 'reason'>;
  readonly resumes: Counter<'channel' | 'outcome'>;
  readonly heartbeats: Counter<'channel'>;
  readonly eventLag: Histogram<'channel'>;
  readonly streamsRefused: Counter<'channel' | 'reason'>;
  readonly rateLimited: Counter;
  /** Connections closed as they opened: their client held MAX_CONNECTIONS_PER_CLIENT already. */
  readonly connectionsRefused: Counter;
  /** Requests cut because their body was not in full HTTP_BODY_TIMEOUT_MS after their headers. */
  readonly bodyTimeouts: Counter;
}

export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event loop lag, GC). Default: false. */
  readonly processMetrics?: boolean;
  /** Labels every series of this registry carries (a cluster worker's `worker`). Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** What `/metrics` answers instead of this registry's text (a cluster worker asks its primary). */
  readonly scrape?: (registry: Registry) => Promise<string>;
}

/**
 * Creates the server's instruments in a fresh registry, never the global default one, so several app
 * instances in one process (tests) keep separate counts. Names follow the Prometheus conventions:
 * `sse_*` for streams, `http_*` for requests.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.labels) registry.setDefaultLabels({ ...options.labels });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const frameTally = new FrameTally();
  // Both counters are read in one scrape; whichever is collected first brings both up to date.
  const drainTally = (): void => frameTally.drainInto(frames, frameBytes);
  const frames: Counter<'channel' | 'event'> = new Counter({
    name: 'sse_frames_total',
    help: 'Event frames written (or queued for a slow client).',
    labelNames: ['channel', 'event'],
    registers,
    collect: drainTally,
  });
  const frameBytes: Counter<'channel' | 'event'> = new Counter({
    name: 'sse_frame_bytes_total',
    help: 'UTF-8 bytes of the event frames written.',
    labelNames: ['channel', 'event'],
    registers,
    collect: drainTally,
  });
  const scrape = options.scrape;
  return {
    registry,
    scrape: scrape ? () => scrape(registry) : () => registry.metrics(),
    frameTally,
    frames,
    frameBytes,
    streamsOpen: new Gauge({
      name: 'sse_streams_open',
      help: 'Event streams open now.',
      labelNames: ['channel'],
      registers,
    }),
    framesRejected: new Counter({
      name: 'sse_frames_rejected_total',
      help: 'Event frames that failed validation against their AsyncAPI message and were not sent.',
      labelNames: ['channel', 'event'],
      registers,
    }),
    slowConsumerDrops: new Counter({
      name: 'sse_slow_consumer_drops_total',
      help: 'Streams dropped because the client stopped reading: queue_full (over the byte or frame bound) or stalled (nothing taken for SSE_SLOW_CLIENT_MS).',
      labelNames: ['channel', 'reason'],
      registers,
    }),
    resumes: new Counter({
      name: 'sse_resumes_total',
      help: 'Resumed stream requests by outcome: replayed (continued after the id), reset, finished (204).',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    heartbeats: new Counter({
      name: 'sse_heartbeats_total',
      help: 'Heartbeat comments written.',
      labelNames: ['channel'],
      registers,
    }),
    eventLag: new Histogram({
      name: 'sse_event_lag_seconds',
      help: "Time from an event's timestamp to its write; replayed history shows in the top buckets.",
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    streamsRefused: new Counter({
      name: 'sse_streams_refused_total',
      help: 'Stream requests answered without opening a stream: client_limit, server_limit (429), shutting_down, unavailable.',
      labelNames: ['channel', 'reason'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'http_rate_limited_total',
      help: 'REST requests refused with 429 by the per-client rate limit.',
      registers,
    }),
    connectionsRefused: new Counter({
      name: 'http_connections_refused_total',
      help: 'Connections closed as they opened because their client held MAX_CONNECTIONS_PER_CLIENT already.',
      registers,
    }),
    bodyTimeouts: new Counter({
      name: 'http_body_timeouts_total',
      help: 'Requests cut (408) because their body was not in full HTTP_BODY_TIMEOUT_MS after their headers.',
      registers,
    }),
  };
}
