import type { SectionSpec } from '../Results.js';
import { broadcastPhase, bursts, steadyRate, warmUp } from './inventorySubscribers.js';
import type { WorkloadContext } from './WorkloadContext.js';

export const BROADCAST_COLUMNS = [
  'connections',
  'delivered',
  'eventsPerSecond',
  'cpuMicrosPerEvent',
  'capacityPerCore',
  'p50',
  'p99',
  'max',
  'losses',
  'duplicates',
];

export const w2RateSection = (subscribers: number, rate: number): SectionSpec => ({
  workload: 'W2',
  title: `W2 broadcast, ${subscribers} subscribers × ${rate} events/s`,
  columns: BROADCAST_COLUMNS,
});

export const w2BurstSection = (subscribers: number, size: number, perSecond: number): SectionSpec => ({
  workload: 'W2',
  title: `W2 bursts, ${subscribers} subscribers × ${size} events per tick × ${perSecond}/s`,
  columns: BROADCAST_COLUMNS,
});

/** W2 at the small size, on the `open` streams W1 left: a warm-up, each rate, then bursts. */
export async function broadcastSmall(ctx: WorkloadContext, open: number): Promise<void> {
  const { small, rates, phaseMs, burst } = ctx.config;
  await ctx.step('W2 warm-up', () => warmUp(ctx, open));
  for (const rate of rates) {
    const row = await ctx.step(`W2 ${small} × ${rate}/s`, () =>
      broadcastPhase(ctx, open, steadyRate(rate, phaseMs)),
    );
    ctx.results.record(w2RateSection(small, rate), ctx.server.name, row);
  }
  const row = await ctx.step(`W2 ${small} × bursts`, () =>
    broadcastPhase(ctx, open, bursts(burst.size, burst.perSecond, burst.ms)),
  );
  ctx.results.record(w2BurstSection(small, burst.size, burst.perSecond), ctx.server.name, row);
}

/** W2 at the large size: one phase at the large rate (no warm-up: the small run warmed the server). */
export async function broadcastLarge(ctx: WorkloadContext, open: number): Promise<void> {
  const { large, largeRate, largePhaseMs } = ctx.config;
  const row = await ctx.step(`W2 ${large} × ${largeRate}/s`, () =>
    broadcastPhase(ctx, open, steadyRate(largeRate, largePhaseMs)),
  );
  ctx.results.record(w2RateSection(large, largeRate), ctx.server.name, row);
}
