import type { PhaseResult, Target } from '../loadgen/protocol.js';
import { STREAM_PATH } from '../payload.js';
import { quantile } from '../stats.js';
import { sleep, type WorkloadContext } from './WorkloadContext.js';

/**
 * Opens `count` inventory streams from the load generator (TCP unless `target` says otherwise) and waits
 * until the server counts them as subscribers. Resolves with how many opened.
 */
export async function connectSubscribers(
  ctx: WorkloadContext,
  count: number,
  options: { target?: Target; sampleEvery?: number } = {},
): Promise<number> {
  const connected = await ctx.loadgen.connect({
    target: options.target ?? { port: ctx.server.port },
    path: STREAM_PATH,
    count,
    sampleEvery: options.sampleEvery ?? ctx.config.sampleEvery,
  });
  for (let i = 0; i < 100 && (await ctx.server.stats(false)).connections < connected.open; i++)
    await sleep(50);
  return connected.open;
}

/** The events of one broadcast phase: `bursts` ticks `intervalMs` apart, `burstSize` events each. */
export interface BroadcastEvents {
  bursts: number;
  burstSize: number;
  intervalMs: number;
}

/** `rate` events/s, one per tick, for `ms`. */
export const steadyRate = (rate: number, ms: number): BroadcastEvents => ({
  bursts: Math.round((rate * ms) / 1000),
  burstSize: 1,
  intervalMs: 1000 / rate,
});

/** `perSecond` ticks of `size` events each, for `ms`. */
export const bursts = (size: number, perSecond: number, ms: number): BroadcastEvents => ({
  bursts: Math.round((perSecond * ms) / 1000),
  burstSize: size,
  intervalMs: 1000 / perSecond,
});

/** What one broadcast phase measured (a row of W2, W5 and W6 tables). */
export type BroadcastFigures = {
  connections: number;
  delivered: number;
  eventsPerSecond: number;
  cpuMicrosPerEvent: number;
  capacityPerCore: number;
  p50: number;
  p99: number;
  max: number;
  losses: number;
  duplicates: number;
  /** Publish call → accepted by the event log; NaN for a server that publishes synchronously. */
  publishP50: number;
  publishP99: number;
};

/**
 * One broadcast phase over the open streams: the server publishes the events, the load generator waits
 * until every reading stream has all of them. CPU is the server's own `process.cpuUsage()` over the phase.
 */
export async function broadcastPhase(
  ctx: WorkloadContext,
  open: number,
  events: BroadcastEvents,
): Promise<BroadcastFigures> {
  await ctx.loadgen.reset();
  const before = await ctx.server.stats(false);
  const published = await ctx.server.publish(events);
  const phase = await ctx.loadgen.awaitPhase(events.bursts * events.burstSize, 15_000);
  const after = await ctx.server.stats(false);
  return {
    connections: open,
    ...deliveryFigures(phase, after.cpuMicros - before.cpuMicros),
    losses: phase.losses,
    duplicates: phase.duplicates + phase.gaps,
    publishP50: quantile(published.roundTripsMs, 0.5),
    publishP99: quantile(published.roundTripsMs, 0.99),
  };
}

/** Not recorded: JIT and connection buffers warm up before the first measured phase. */
export const warmUp = (ctx: WorkloadContext, open: number): Promise<BroadcastFigures> =>
  broadcastPhase(ctx, open, { bursts: 10, burstSize: 1, intervalMs: 10 });

/** What a phase delivered, how fast, at what server CPU (µs over the phase) and how late. */
export function deliveryFigures(phase: PhaseResult, cpuMicros: number) {
  return {
    delivered: phase.received,
    eventsPerSecond: phase.received / (phase.spanMs / 1000),
    cpuMicrosPerEvent: cpuMicros / Math.max(1, phase.received),
    capacityPerCore: (1e6 * phase.received) / Math.max(1, cpuMicros),
    p50: quantile(phase.latenciesMs, 0.5),
    p99: quantile(phase.latenciesMs, 0.99),
    max: quantile(phase.latenciesMs, 1),
  };
}
