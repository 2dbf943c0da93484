import { SEED_USERS } from '../../src/store/seedUsers.js';
import type { SectionSpec } from '../Results.js';
import { quantile } from '../stats.js';
import { closeStreams, type WorkloadContext } from './WorkloadContext.js';

export const w4Section = (concurrency: number, limit: number, baseline: string): SectionSpec => ({
  workload: 'W4',
  title: `W4 per request, recommendation streams (limit ${limit}) at concurrency ${concurrency}`,
  columns: [
    'concurrency',
    'streams',
    'streamsPerSecond',
    'cpuMicrosPerStream',
    'firstEventP50',
    'firstEventP99',
    'completeP50',
    'completeP99',
    'failed',
  ],
  baseline,
  note:
    'Each connection asks for the next stream (a seeded user in turn) as soon as the last one ended, over ' +
    'HTTP/1.1 keep-alive. First event = request sent → first `recommendation`; complete = request sent → ' +
    'end of the response after `complete`. A stream fails unless it answers 200 and `complete.total` equals ' +
    'the recommendations received. No raw baseline: the work per stream is the recommender and the store ' +
    '(scoring the catalog for the user), not SSE framing, so raw would measure nothing comparable; ratios are ' +
    'to the last commit.',
});

/** W4: recommendation streams at a fixed concurrency, each run from request to `complete`. */
export async function recommendationStreams(ctx: WorkloadContext, baseline: string): Promise<void> {
  const { concurrency, warmupMs, durationMs, limit } = ctx.config.requests;
  const paths = SEED_USERS.map(
    (user) => `/v1/pets/recommendations/stream?userId=${encodeURIComponent(user.id)}&limit=${limit}`,
  );
  const before = await ctx.server.stats(false);
  const result = await ctx.step(`W4 ${concurrency} in flight, ${durationMs} ms`, () =>
    ctx.loadgen.requests({ target: { port: ctx.server.port }, paths, concurrency, warmupMs, durationMs }),
  );
  const after = await ctx.server.stats(false);
  await closeStreams(ctx, 'W4');
  ctx.results.record(w4Section(concurrency, limit, baseline), ctx.server.name, {
    concurrency,
    streams: result.completed,
    streamsPerSecond: result.completed / (result.spanMs / 1000),
    cpuMicrosPerStream: (after.cpuMicros - before.cpuMicros) / Math.max(1, result.served),
    firstEventP50: quantile(result.firstEventMs, 0.5),
    firstEventP99: quantile(result.firstEventMs, 0.99),
    completeP50: quantile(result.completeMs, 0.5),
    completeP99: quantile(result.completeMs, 0.99),
    failed: result.failed,
  });
}
