import { EVENTS_PER_ORDER, LIVE_STATUSES, orderStreamPath } from '../orderPayload.js';
import type { SectionSpec } from '../Results.js';
import { deliveryFigures } from './inventorySubscribers.js';
import { closeStreams, type WorkloadContext } from './WorkloadContext.js';
import { BROADCAST_COLUMNS } from './w2Broadcast.js';

export const w3Section = (orders: number, stepMs: number): SectionSpec => ({
  workload: 'W3',
  title: `W3 unicast, ${orders} order status streams × ${LIVE_STATUSES.length} live statuses`,
  columns: [...BROADCAST_COLUMNS, 'ended'],
  note:
    `Each stream gets its order's \`payment_processing\` from the history on connect, then ` +
    `${LIVE_STATUSES.join(', ')} (as \`complete\`), each status reaching all orders evenly over ${stepMs} ms, ` +
    'after which the server ends the response. Latency, CPU and events/s cover the live statuses; losses ' +
    `count all ${EVENTS_PER_ORDER} events; ended = responses the server ended after \`complete\`. ` +
    '**raw** writes each stream its own frames, serialised in advance but for the publish time.',
});

/**
 * W3: one status stream per prepared order (each client samples latency), every stream first gets its order's
 * history, then the server publishes the live statuses on W3's schedule and each stream must receive its own
 * three, in order, and end.
 */
export async function orderStatusStreams(ctx: WorkloadContext): Promise<void> {
  const { orders, orderStepMs } = ctx.config;
  const prepared = await ctx.server.prepareOrders(orders);
  const connected = await ctx.step(`W3 connect ${orders}`, () =>
    ctx.loadgen.connect({
      target: { port: ctx.server.port },
      paths: prepared.orderIds.map(orderStreamPath),
      sampleEvery: 1,
      headers: prepared.headers,
    }),
  );
  const history = await ctx.loadgen.awaitPhase(1, 10_000);
  await ctx.loadgen.reset();
  const before = await ctx.server.stats(false);
  const phase = await ctx.step(`W3 ${orders} streams × ${LIVE_STATUSES.length} statuses`, async () => {
    await ctx.server.publishOrders(orders, orderStepMs);
    return ctx.loadgen.awaitPhase(LIVE_STATUSES.length, 15_000);
  });
  const after = await ctx.server.stats(false);
  await closeStreams(ctx, 'W3');
  ctx.results.record(w3Section(orders, orderStepMs), ctx.server.name, {
    connections: connected.open,
    ...deliveryFigures(phase, after.cpuMicros - before.cpuMicros),
    losses: connected.failed * EVENTS_PER_ORDER + history.losses + phase.losses,
    duplicates: history.duplicates + history.gaps + phase.duplicates + phase.gaps,
    ended: phase.ended,
  });
}
