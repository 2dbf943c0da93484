import type { SectionSpec } from '../Results.js';
import { broadcastPhase, bursts, connectSubscribers, steadyRate, warmUp } from './inventorySubscribers.js';
import { closeStreams, type WorkloadContext } from './WorkloadContext.js';
import { BROADCAST_COLUMNS } from './w2Broadcast.js';

/** W6 compares the app on its in-memory event log (`ours`) with the same app on Redis Streams. */
export const W6_RATE = 50;
const COLUMNS = [...BROADCAST_COLUMNS, 'publishP50', 'publishP99'];
const NOTE =
  '`ours` runs on the in-memory event log (its rows are the W2 phase of the same name), `ours+redis` on ' +
  '`createRedisEventLog` (XADD per event, one blocking XREAD reader). Publish ms = from the append call until ' +
  'its promise settled, as the server process sees it: for Redis the XADD round trip plus any wait behind ' +
  'fan-out work on the event loop; for the in-memory log, the fan-out microtasks the append starts. Ratios are ' +
  'to `ours`.';

export const w6RateSection = (subscribers: number): SectionSpec => ({
  workload: 'W6',
  title: `W6 event log, ${subscribers} subscribers × ${W6_RATE} events/s`,
  columns: COLUMNS,
  baseline: 'ours',
  note: NOTE,
});

export const w6BurstSection = (subscribers: number, size: number, perSecond: number): SectionSpec => ({
  workload: 'W6',
  title: `W6 event log, ${subscribers} subscribers × bursts of ${size} events × ${perSecond}/s`,
  columns: COLUMNS,
  baseline: 'ours',
  note: NOTE,
});

/** W6 on one server: its own subscribers, a warm-up, the 50 events/s phase and the bursts of W2. */
export async function eventLogBroadcast(ctx: WorkloadContext): Promise<void> {
  const { small, phaseMs, burst } = ctx.config;
  const open = await ctx.step(`W6 connect ${small}`, () => connectSubscribers(ctx, small));
  await ctx.step('W6 warm-up', () => warmUp(ctx, open));
  const rate = await ctx.step(`W6 ${small} × ${W6_RATE}/s`, () =>
    broadcastPhase(ctx, open, steadyRate(W6_RATE, phaseMs)),
  );
  ctx.results.record(w6RateSection(small), ctx.server.name, rate);
  const burstRow = await ctx.step(`W6 ${small} × bursts`, () =>
    broadcastPhase(ctx, open, bursts(burst.size, burst.perSecond, burst.ms)),
  );
  ctx.results.record(w6BurstSection(small, burst.size, burst.perSecond), ctx.server.name, burstRow);
  await closeStreams(ctx, 'W6');
}
