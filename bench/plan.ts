import type { BenchConfig, WorkloadId } from './config.js';
import { closeStreams, type WorkloadContext } from './workloads/WorkloadContext.js';
import { openIdleSubscribers } from './workloads/w1IdleMemory.js';
import { broadcastLarge, broadcastSmall } from './workloads/w2Broadcast.js';
import { orderStatusStreams } from './workloads/w3Unicast.js';
import { recommendationStreams } from './workloads/w4PerRequest.js';
import { slowConsumers } from './workloads/w5SlowConsumers.js';
import { eventLogBroadcast } from './workloads/w6EventLog.js';

/** A server under test and the workloads it takes part in. */
export interface ServerPlan {
  name: string;
  /** Implementation in bench/servers/serverMain.ts. */
  kind: string;
  env: Record<string, string>;
  workloads: ReadonlySet<WorkloadId>;
}

/**
 * Who runs what. Peers run W1/W2 only; W3 compares ours with raw (the last commit is left out to save the
 * minute its orders and connections take); W4 compares ours with the last commit (no raw baseline); W5 needs a
 * server with no policy (raw) and ours; W6 adds ours on Redis, compared with ours' W2 rows.
 */
export function serverPlans(
  config: BenchConfig,
  head: { name: string; dir: string },
  redis: { url: string; keyPrefix: string } | undefined,
): ServerPlan[] {
  const all: ServerPlan[] = [
    { name: 'raw', kind: 'raw', env: {}, workloads: new Set(['W1', 'W2', 'W3', 'W5']) },
    { name: 'ours', kind: 'ours', env: {}, workloads: new Set(['W1', 'W2', 'W3', 'W4', 'W5', 'W6']) },
    {
      name: head.name,
      kind: 'ours',
      env: { OURS_ROOT: head.dir },
      workloads: new Set(['W1', 'W2', 'W4']),
    },
    { name: 'better-sse', kind: 'better-sse', env: {}, workloads: new Set(['W1', 'W2']) },
    { name: '@fastify/sse', kind: '@fastify/sse', env: {}, workloads: new Set(['W1', 'W2']) },
    { name: 'hono streamSSE', kind: 'hono streamSSE', env: {}, workloads: new Set(['W1', 'W2']) },
  ];
  if (redis) {
    all.push({
      name: 'ours+redis',
      kind: 'ours',
      env: { OURS_EVENT_LOG: 'redis', OURS_REDIS_URL: redis.url, OURS_REDIS_PREFIX: redis.keyPrefix },
      workloads: new Set(['W6']),
    });
  }
  const wanted = (name: string): boolean =>
    !config.servers ||
    config.servers.includes(name) ||
    (name === head.name && config.servers.includes('ours@head'));
  return all
    .filter((plan) => wanted(plan.name))
    .map((plan) => ({ ...plan, workloads: new Set([...plan.workloads].filter((id) => config.only.has(id))) }))
    .filter((plan) => plan.workloads.size > 0);
}

/**
 * One repetition of one server: its workloads in a fixed order, reusing connections where a workload allows
 * (W2 broadcasts to the streams W1 measured; W6's in-memory rows are ours' W2 phases).
 */
export async function runRepetition(ctx: WorkloadContext, plan: ServerPlan, headName: string): Promise<void> {
  const has = (id: WorkloadId): boolean => plan.workloads.has(id);
  const inventory = has('W1') || has('W2');
  if (inventory) {
    const open = await ctx.step(`W1 connect ${ctx.config.small}`, () =>
      openIdleSubscribers(ctx, ctx.config.small, has('W1')),
    );
    if (has('W2')) await broadcastSmall(ctx, open);
    await closeStreams(ctx, has('W2') ? 'W2' : 'W1');
  }
  if (has('W6') && !(plan.name === 'ours' && has('W2'))) await eventLogBroadcast(ctx);
  if (has('W5')) await slowConsumers(ctx);
  if (has('W3')) await orderStatusStreams(ctx);
  if (has('W4')) await recommendationStreams(ctx, headName);
  if (inventory && ctx.config.large > 0) {
    const open = await ctx.step(`W1 connect ${ctx.config.large}`, () =>
      openIdleSubscribers(ctx, ctx.config.large, has('W1')),
    );
    if (has('W2')) await broadcastLarge(ctx, open);
    await closeStreams(ctx, has('W2') ? 'W2' : 'W1');
  }
}
