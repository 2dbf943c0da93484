import type { SectionSpec } from '../Results.js';
import { type BroadcastEvents, broadcastPhase, connectSubscribers, warmUp } from './inventorySubscribers.js';
import { closeStreams, type WorkloadContext } from './WorkloadContext.js';

/**
 * Every W5 client samples latency (the stalled ones are left out of the figures): with 100 clients, p99 over
 * every 5th one moved by ±30 % between identical phases on 2 shared cores, more than the 10 % it must tell.
 */
const SAMPLE_EVERY = 1;

export const w5Section = (
  clients: number,
  events: number,
  burstSize: number,
  perSecond: number,
): SectionSpec => ({
  workload: 'W5',
  title: `W5 slow consumers, ${clients} clients (1 % stop reading) × ${events} events in bursts of ${burstSize} × ${perSecond}/s`,
  columns: [
    'clients',
    'stalled',
    'dropped',
    'p99Without',
    'p99With',
    'p99Ratio',
    'rssGrowthKiB',
    'heapGrowthKiB',
    'queuedKiB',
    'losses',
    'duplicates',
  ],
  note:
    'Over a Unix domain socket (see the notes above). The same clients take the burst phase twice: once all ' +
    'reading (p99 without), then with 1 % paused from the start of the phase (p99 with, over the others). ' +
    'Growth = what the stalled phase added to server RSS and heap+external beyond what the same phase added with ' +
    'every client reading (each measured after a forced GC): the event log keeps every event it publishes (ours: ' +
    'outbox rows in PGlite, up to EVENT_LOG_SIZE per stream until pruned), which is not what a stalled client holds; ' +
    'queued = bytes still waiting in the process for its Unix socket clients at the end of the phase; dropped = ' +
    'stalled clients found closed by the server when they read again; losses and dups are over the others. ' +
    'Read the p99 ratio with its spread: on 2 shared cores one repetition moves it by ±25 % even with no client ' +
    'stalled (a control run of 9 repetitions: 0.80× [0.52–1.17]).',
});

const heapAndExternal = (stats: { heapUsed: number; external: number }): number =>
  stats.heapUsed + stats.external;

/**
 * W5: a burst phase with every client reading, then the same phase with 1 % of them paused. The server must
 * drop the paused ones (its policy: about 1 MiB or 1000 frames waiting), keep its memory bounded, and the
 * others' p99 must stay within 10 %.
 */
export async function slowConsumers(ctx: WorkloadContext): Promise<void> {
  const { clients, fraction, events, burstSize, perSecond } = ctx.config.slow;
  const plan: BroadcastEvents = {
    bursts: Math.ceil(events / burstSize),
    burstSize,
    intervalMs: 1000 / perSecond,
  };
  const open = await ctx.step(`W5 connect ${clients} (Unix socket)`, () =>
    connectSubscribers(ctx, clients, {
      target: { socketPath: ctx.server.socketPath },
      sampleEvery: SAMPLE_EVERY,
    }),
  );
  await ctx.step('W5 warm-up', () => warmUp(ctx, open));
  const start = await ctx.server.stats(true);
  const reading = await ctx.step(`W5 ${events} events, all reading`, () => broadcastPhase(ctx, open, plan));
  const base = await ctx.server.stats(true);
  const stalled = await ctx.loadgen.stall(fraction);
  const withStalls = await ctx.step(`W5 ${events} events, ${stalled} stalled`, () =>
    broadcastPhase(ctx, open, plan),
  );
  const held = await ctx.server.stats(true);
  const unstalled = await ctx.loadgen.unstall(500);
  await closeStreams(ctx, 'W5');
  ctx.results.record(w5Section(clients, plan.bursts * burstSize, burstSize, perSecond), ctx.server.name, {
    clients: open,
    stalled,
    dropped: unstalled.closedByServer,
    p99Without: reading.p99,
    p99With: withStalls.p99,
    p99Ratio: withStalls.p99 / reading.p99,
    rssGrowthKiB: (held.rss - base.rss - (base.rss - start.rss)) / 1024,
    heapGrowthKiB:
      (heapAndExternal(held) - heapAndExternal(base) - (heapAndExternal(base) - heapAndExternal(start))) /
      1024,
    queuedKiB: held.queuedBytes / 1024,
    losses: withStalls.losses,
    duplicates: withStalls.duplicates,
  });
}
