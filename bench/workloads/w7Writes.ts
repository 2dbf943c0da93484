import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../LoadGenerator.js';
import type { WritesCommand, WritesResult } from '../loadgen/protocol.js';
import type { Results, Row, SectionSpec } from '../Results.js';
import type { PostgresDatabase } from '../services/PostgresDatabase.js';
import { quantile } from '../stats.js';
import type { Deployment, W7Tree } from './w7Deployments.js';

/** What W7 runs with, for one tree and one deployment (the cluster or the embedded process). */
export interface W7Context {
  readonly config: BenchConfig;
  readonly loadgen: LoadGenerator;
  readonly results: Results;
  readonly tree: W7Tree;
  readonly section: SectionSpec;
  /** The cluster's database, where the outbox (`events`) can be read; undefined for the embedded one. */
  readonly database: PostgresDatabase | undefined;
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

const COLUMNS = [
  'writesPerSecond',
  'writeConcurrency',
  'cpuMicrosPerWrite',
  'offeredRate',
  'achievedRate',
  'shed',
  'commitP50',
  'commitP99',
  'answerP50',
  'answerP99',
  'failedWrites',
  'lost',
  'duplicated',
  'outOfOrder',
  'idGaps',
  'unexpected',
  'notAnnounced',
  'timestampsBack',
];

const CHECKS =
  'Every write sets a stock no write set before, so each 2xx is exactly one `stock-change`; each subscriber ' +
  'is checked event by event against the 2xx writes: lost (never arrived), duplicated (a change or an id ' +
  'again), out of order (an id not above the one before; a change that arrived before the one it follows on ' +
  'the same pet, by its `oldStock`; or one id carrying different changes at two subscribers), id gaps (`<gen>.<seq>` ' +
  'ids only: a skipped number), unexpected (an event no 2xx write accounts for); timestamp steps back counts events whose ' +
  "`timestamp` is earlier than the previous event's (in id order; not a delivery error). Sustained writes/s = the " +
  'best closed-loop step (in flight 4, 8, 16, … until the rate has not grown for 3 steps or anything fails) with every ' +
  'write 2xx and every change delivered once and in order at every subscriber: 2xx writes / (first write sent → ' +
  'last event received by the slowest subscriber). Latency, at the offered rate (open loop; a ' +
  'write is not sent while 100 wait), all subscribers pooled, brackets the commit: timestamp→receipt = ' +
  "receipt − the event's `timestamp` (millisecond precision), which the server takes before it commits (in " +
  "the new log: before the transaction waits for the stream's counter row, so it includes that wait); " +
  "2xx→receipt = receipt − the arrival of the write's 2xx answer at the load generator (after the commit; " +
  'negative when the event came first). Server CPU = utime + stime from /proc of the server processes over the ' +
  'sustained step, per 2xx write. The failure counts are totals over every phase of the repetition. Measured ' +
  'from a separate load generator process over HTTP/1.1, through the compiled server (`dist/server/main.js`).';

export const w7ClusterSection = (instances: number, before: string): SectionSpec => ({
  workload: 'W7',
  title: `W7a cluster writes: ${instances} instances on Postgres + Redis, a subscriber on each`,
  columns: [...COLUMNS, 'dbMismatch'],
  baseline: before,
  note:
    `${instances} server processes on one new Postgres database and a redis-server of the bench's own; ` +
    `PATCH /v1/inventory/{petId} round-robin over the instances and over 16 pets. ${CHECKS} DB events − 2xx: ` +
    'committed outbox rows (`max(seq)` of `events`) minus 2xx writes over the repetition (the new event log only).',
});

export const w7EmbeddedSection = (before: string): SectionSpec => ({
  workload: 'W7',
  title: 'W7b embedded writes: one process on PGlite, one subscriber',
  columns: COLUMNS,
  baseline: before,
  note: `One server process on the embedded database (PGlite in a new DATA_DIR), its in-process fan-out. ${CHECKS}`,
});

/** Sum of the failure counts of one phase. */
function failures(result: WritesResult): Row {
  const sum = (pick: (d: WritesResult['deliveries'][number]) => number) =>
    result.deliveries.reduce((total, delivery) => total + pick(delivery), 0);
  return {
    failedWrites: Object.values(result.failed).reduce((total, n) => total + n, 0),
    lost: sum((d) => d.lost),
    duplicated: sum((d) => d.duplicated),
    outOfOrder: sum((d) => d.outOfOrder),
    idGaps: sum((d) => d.idGaps),
    unexpected: sum((d) => d.unexpected),
    notAnnounced: sum((d) => d.otherFrames.length),
  };
}

/** Events whose `timestamp` is earlier than the previous event's, at every subscriber (a fact, not a failure). */
function timestampsBack(result: WritesResult): number {
  return result.deliveries.reduce((total, delivery) => total + delivery.timestampsBack, 0);
}

const clean = (row: Row): boolean => Object.values(row).every((n) => n === 0);

/** One phase with the server processes' CPU around it. */
async function phase(ctx: W7Context, deployment: Deployment, command: Partial<WritesCommand>) {
  const cpu = () => Promise.all(deployment.instances.map((app) => app.cpuMicros()));
  const before = await cpu();
  const result = await ctx.loadgen.writes({
    ports: deployment.instances.map((app) => app.port),
    petIds: deployment.petIds,
    headers: deployment.headers,
    mode: { kind: 'closed', concurrency: 1 },
    durationMs: ctx.config.w7.stepMs,
    settleMs: ctx.config.w7.settleMs,
    ...command,
  });
  const after = await cpu();
  const cpuMicros = after.reduce((total, micros, i) => total + micros - before[i]!, 0);
  return { result, cpuMicros, failures: failures(result) };
}

/** One repetition of W7 on a running deployment: the closed-loop search, then the open loop at `rate`. */
export async function w7Writes(ctx: W7Context, deployment: Deployment): Promise<void> {
  const { w7 } = ctx.config;
  const watching = await ctx.loadgen.watch(
    deployment.instances.map((app) => app.port),
    deployment.headers,
  );
  if (watching.statuses.some((status) => status !== 200))
    throw new Error(`W7: inventory streams answered ${watching.statuses.join(', ')}`);
  console.log(`        subscribers opened at ${watching.startIds.map((id) => id || '(no id)').join(', ')}`);
  const seqBefore = await publishedSeq(ctx);
  const totals: Row = {};
  const add = (row: Row) => {
    for (const [name, n] of Object.entries(row)) totals[name] = (totals[name] ?? 0) + n;
  };
  let back = 0;
  let answered = 0;
  let best = { rate: 0, concurrency: Number.NaN, cpu: Number.NaN };
  let flat = 0;
  for (const concurrency of w7.concurrencies) {
    const {
      result,
      cpuMicros,
      failures: row,
    } = await ctx.step(`W7 ${concurrency} in flight`, () =>
      phase(ctx, deployment, { mode: { kind: 'closed', concurrency } }),
    );
    add(row);
    back += timestampsBack(result);
    answered += result.ok;
    const rate = result.ok / (Math.max(result.durationMs, result.deliveredMs) / 1000);
    console.log(`        ${result.ok} writes 2xx, ${rate.toFixed(0)}/s delivered, ${describe(row)}`);
    if (!clean(row)) break;
    if (rate > best.rate * 1.05) flat = 0;
    else if (++flat >= 3) break;
    if (rate > best.rate) best = { rate, concurrency, cpu: cpuMicros / result.ok };
  }
  const open = await ctx.step(`W7 ${w7.rate}/s offered`, () =>
    phase(ctx, deployment, {
      mode: { kind: 'open', rate: w7.rate, maxInFlight: w7.maxInFlight },
      durationMs: w7.rateMs,
    }),
  );
  add(open.failures);
  back += timestampsBack(open.result);
  answered += open.result.ok;
  const latencies = open.result.deliveries.flatMap((delivery) => delivery.latenciesMs);
  const afterAnswer = open.result.deliveries.flatMap((delivery) => delivery.afterAnswerMs);
  console.log(
    `        ${open.result.ok} writes 2xx (${open.result.shed} not sent), p50 ${quantile(latencies, 0.5).toFixed(1)} ms, ` +
      `p99 ${quantile(latencies, 0.99).toFixed(1)} ms from the timestamp, ` +
      `p50 ${quantile(afterAnswer, 0.5).toFixed(1)} ms, p99 ${quantile(afterAnswer, 0.99).toFixed(1)} ms from the 2xx, ${describe(open.failures)}`,
  );
  await ctx.loadgen.unwatch();
  const seqAfter = await publishedSeq(ctx);
  ctx.results.record(ctx.section, ctx.tree.name, {
    writesPerSecond: best.rate,
    writeConcurrency: best.concurrency,
    cpuMicrosPerWrite: best.cpu,
    offeredRate: w7.rate,
    achievedRate: open.result.ok / (open.result.durationMs / 1000),
    shed: open.result.shed,
    commitP50: quantile(latencies, 0.5),
    commitP99: quantile(latencies, 0.99),
    answerP50: quantile(afterAnswer, 0.5),
    answerP99: quantile(afterAnswer, 0.99),
    ...totals,
    timestampsBack: back,
    dbMismatch: seqAfter - seqBefore - answered,
  });
}

function describe(row: Row): string {
  const bad = Object.entries(row).filter(([, n]) => n !== 0);
  return bad.length === 0
    ? 'all delivered once, in order'
    : bad.map(([name, n]) => `${name} ${n}`).join(', ');
}

/** The newest inventory outbox seq (the new event log's `events` table); NaN where there is none. */
async function publishedSeq(ctx: W7Context): Promise<number> {
  const value = await ctx.database?.value(
    "SELECT coalesce(max(seq), 0) FROM events WHERE topic = 'inventory'",
  );
  return value === undefined ? Number.NaN : Number(value);
}
