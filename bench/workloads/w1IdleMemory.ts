import type { SectionSpec } from '../Results.js';
import { connectSubscribers } from './inventorySubscribers.js';
import { sleep, type WorkloadContext } from './WorkloadContext.js';

export const w1Section = (count: number): SectionSpec => ({
  workload: 'W1',
  title: `W1 idle memory, ${count} connections`,
  columns: ['connections', 'rssKiB', 'rssSteadyKiB', 'heapKiB'],
  note:
    "RSS − young gen = RSS growth minus the growth of V8's young generation (new space), which V8 resizes with " +
    'the allocation rate, not with what is held: a server whose young generation grew during the phase shows ' +
    'megabytes that no connection holds (raw swung from −10 to +11 KiB/conn between repetitions this way).',
});

/**
 * W1: opens `count` inventory streams and, when `record`, records the server's growth per connection after a
 * forced GC (RSS and heap). The streams stay open for W2. Resolves with how many opened.
 */
export async function openIdleSubscribers(
  ctx: WorkloadContext,
  count: number,
  record: boolean,
): Promise<number> {
  const base = record ? await ctx.server.stats(true) : undefined;
  const open = await connectSubscribers(ctx, count);
  if (!base) return open;
  await sleep(200);
  const held = await ctx.server.stats(true);
  ctx.results.record(w1Section(count), ctx.server.name, {
    connections: open,
    rssKiB: (held.rss - base.rss) / 1024 / open,
    rssSteadyKiB: (held.rss - held.youngGen - (base.rss - base.youngGen)) / 1024 / open,
    heapKiB: (held.heapUsed - base.heapUsed) / 1024 / open,
  });
  return open;
}
