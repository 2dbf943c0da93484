import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from '../builtTree.js';
import { Child } from '../Child.js';
import { nowMs } from '../clock.js';
import type { BenchConfig } from '../config.js';
import { inventoryWriteHeaders } from '../inventoryWriteHeaders.js';
import type { ManyConnected, ManyProgress, ManyReport } from '../loadgen/manyStreams.js';
import type { Results, SectionSpec } from '../Results.js';
import { PostgresDatabase } from '../services/PostgresDatabase.js';
import { RedisServer } from '../services/RedisServer.js';
import { sleep } from './WorkloadContext.js';
import {
  type ClusterUnderTest,
  cpuMicros,
  probeEnv,
  probeMemory,
  startOursCluster,
  startRawCluster,
} from './w9Servers.js';

type Step = <T>(server: string, label: string, work: () => Promise<T>) => Promise<T>;

export const w9Section = (config: BenchConfig): SectionSpec => ({
  workload: 'W9',
  title: `W9 ${config.w9.streams} inventory streams over ${config.w9.workers} workers, ${config.w9.writes} events at 1/s`,
  columns: [
    'connections',
    'heapKiB',
    'rssKiB',
    'cpuMicrosPerStream',
    'cpuMicrosPerEvent',
    'p50',
    'p99',
    'max',
    'lost',
    'duplicated',
    'ended',
    'failedWrites',
    'load',
  ],
  note:
    `Both servers run in node:cluster with ${config.w9.workers} workers on one port; ${config.w9.loadgens} load generator processes, ` +
    'each on its own loopback source address (127.0.0.x). Memory per connection: growth of the workers summed, each ' +
    'after a forced GC, over connections. CPU µs/event: the primary and workers (not Postgres or Redis) over the ' +
    'broadcast, divided by events delivered. Latency: from sending the write (ours: the PATCH; raw: the IPC ' +
    'publish) to each stream receiving it.',
});

/** One load generator process of W9 (bench/loadgen/manyStreams.ts). */
class ManyStreams {
  constructor(
    readonly child: Child,
    readonly localAddress: string,
  ) {}

  static async start(localAddress: string): Promise<ManyStreams> {
    const child = new Child('bench/loadgen/manyStreams.ts', []);
    await child.next('ready');
    return new ManyStreams(child, localAddress);
  }

  send<T>(reply: string, command: object): Promise<T> {
    return this.child.next<T>(reply, command);
  }
}

/** Runs `work` on every load generator at once. */
const onAll = <T>(loadgens: ManyStreams[], work: (loadgen: ManyStreams, i: number) => Promise<T>) =>
  Promise.all(loadgens.map(work));

/**
 * One server's run: open the streams (spread over the load generators and their source addresses), measure
 * memory, broadcast `writes` events at 1/s, wait until every stream has every one (or 30 s), report.
 */
async function measure(
  config: BenchConfig,
  server: ClusterUnderTest,
  loadgens: ManyStreams[],
  probeDir: string,
  step: Step,
  base: number,
): Promise<Record<string, number>> {
  const { streams, writes } = config.w9;
  const load = loadavg()[0]!;
  const before = await probeMemory(probeDir, server.workerPids());
  const cpuAtConnect = await cpuMicros(server.pids());
  const connected = await step(server.name, `W9 connect ${streams}`, () =>
    onAll(loadgens, (loadgen, i) =>
      loadgen.send<ManyConnected>('connected', {
        type: 'connect',
        port: server.port,
        count: Math.floor(streams / loadgens.length) + (i < streams % loadgens.length ? 1 : 0),
        localAddress: loadgen.localAddress,
        window: config.w9.connectWindow,
      }),
    ),
  );
  const open = connected.reduce((sum, c) => sum + c.open, 0);
  const reasons = connected.flatMap((c) => Object.entries(c.reasons).map(([r, n]) => `${r} ×${n}`));
  console.log(
    `W9 ${server.name}: ${open} of ${streams} open${reasons.length ? `; failed: ${reasons.join(', ')}` : ''}`,
  );
  const connectCpu = (await cpuMicros(server.pids())) - cpuAtConnect;
  if (server.spread) console.log(`W9 ${server.name}: streams per worker ${await server.spread()}`);
  await sleep(500);
  const held = await probeMemory(probeDir, server.workerPids());

  await onAll(loadgens, (loadgen) => loadgen.send('expecting', { type: 'expect', base, writes }));
  const pids = server.pids();
  const cpuBefore = await cpuMicros(pids);
  const sentAt: number[] = [];
  let failedWrites = 0;
  await step(server.name, `W9 broadcast ${writes} events at 1/s`, async () => {
    const start = nowMs();
    for (let i = 0; i < writes; i++) {
      await sleep(Math.max(0, start + i * config.w9.intervalMs - nowMs()));
      sentAt[i] = nowMs();
      await server.publish(i, base + i).catch((error: unknown) => {
        failedWrites++;
        console.log(`W9 ${server.name}: write ${i} failed: ${String(error)}`);
      });
    }
    const deadline = nowMs() + config.w9.settleMs;
    for (;;) {
      const progress = await onAll(loadgens, (loadgen) =>
        loadgen.send<ManyProgress>('progress', { type: 'progress' }),
      );
      if (progress.every((p) => p.complete === p.open) || nowMs() > deadline) break;
      await sleep(200);
    }
  });
  const cpu = (await cpuMicros(pids)) - cpuBefore;
  const reports = await onAll(loadgens, (loadgen) =>
    loadgen.send<ManyReport>('report', { type: 'report', sentAt }),
  );
  await step(server.name, 'W9 close', () =>
    onAll(loadgens, (loadgen) => loadgen.send('closed', { type: 'close' })),
  );
  const received = reports.reduce((sum, r) => sum + r.received, 0);
  console.log(
    `W9 ${server.name}: per load generator received/lost/dups ${reports.map((r) => `${r.received}/${r.lost}/${r.duplicates}`).join(' ')}`,
  );
  const histogram = new Map<number, number>();
  for (const report of reports)
    for (const [bucket, n] of report.histogram) histogram.set(bucket, (histogram.get(bucket) ?? 0) + n);
  return {
    connections: open,
    heapKiB: (held.heapUsed - before.heapUsed) / 1024 / open,
    rssKiB: (held.rss - before.rss) / 1024 / open,
    cpuMicrosPerStream: connectCpu / open,
    cpuMicrosPerEvent: cpu / received,
    p50: histogramQuantile(histogram, 0.5),
    p99: histogramQuantile(histogram, 0.99),
    max: Math.max(...reports.map((r) => r.maxMs)),
    lost: reports.reduce((sum, r) => sum + r.lost, 0) + (streams - open) * writes,
    duplicated: reports.reduce((sum, r) => sum + r.duplicates, 0),
    ended: open - reports.reduce((sum, r) => sum + r.open, 0),
    failedWrites,
    load,
  };
}

/** The q-quantile of a histogram of 0.1 ms buckets, in ms. */
function histogramQuantile(histogram: Map<number, number>, q: number): number {
  const buckets = [...histogram].sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= q * total) return bucket / 10;
  }
  return Number.NaN;
}

/**
 * W9 (issue #17, item 3): `streams` inventory streams held by ours with WORKERS (compiled, on a Postgres
 * database and a redis-server of the bench's own), then by raw node:http in node:cluster with as many workers,
 * each repetition starting both anew. Skipped, and said so, without a Postgres server.
 */
export async function runW9(options: {
  config: BenchConfig;
  results: Results;
  root: string;
  step: Step;
  skipped: string[];
}): Promise<void> {
  const { config, results, step, skipped, root } = options;
  if (!(await PostgresDatabase.reachable(config.w7.postgresUrl))) {
    skipped.push(`W9: no Postgres server answered at ${config.w7.postgresUrl}`);
    return;
  }
  await step('all', 'W9 build', async () => build(root, root));
  const probeDir = mkdtempSync(path.join(tmpdir(), 'petstore-sse-bench-w9-'));
  const redis = await RedisServer.start();
  const database = await PostgresDatabase.create(config.w7.postgresUrl, 'ours', 'bench_w9');
  const loadgens = await Promise.all(
    Array.from({ length: config.w9.loadgens }, (_, i) => ManyStreams.start(`127.0.0.${i + 2}`)),
  );
  const env = {
    ...probeEnv(probeDir),
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'w9:',
    MAX_STREAMS: String(config.w9.streams * 2),
    MAX_STREAMS_PER_CLIENT: String(config.w9.streams * 2),
    // Each load generator is one address holding 10 000 connections; the per-address cap is for abuse.
    MAX_CONNECTIONS_PER_CLIENT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    // A redis-server starved of CPU on a loaded machine would read as an outage and end the streams (by design:
    // clients resume); the bench's clients do not resume, so the bench waits longer before calling it one.
    EVENT_REDIS_TIMEOUT_MS: '5000',
    EVENT_REDIS_OUTAGE_MS: '60000',
    SHUTDOWN_SPREAD_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '2000',
    AUTH_JWT_SECRET: randomBytes(48).toString('base64'),
    AUTH_DEV_TOKENS: 'true',
  };
  try {
    for (let rep = 0; rep < config.w9.repetitions; rep++) {
      const base = 100_000 + rep * 1000;
      const ours = await step('ours', 'W9 start ours', () =>
        startOursCluster({ root, workers: config.w9.workers, env, writeHeaders: inventoryWriteHeaders }),
      );
      try {
        results.record(
          w9Section(config),
          'ours',
          await measure(config, ours, loadgens, probeDir, step, base),
        );
      } finally {
        await ours.stop();
      }
      const raw = await step('raw', 'W9 start raw', () =>
        startRawCluster(config.w9.workers, probeEnv(probeDir)),
      );
      try {
        results.record(w9Section(config), 'raw', await measure(config, raw, loadgens, probeDir, step, base));
      } finally {
        await raw.stop();
      }
    }
  } finally {
    for (const loadgen of loadgens) loadgen.child.stop();
    await redis.stop();
    await database.drop();
    rmSync(probeDir, { recursive: true, force: true });
  }
}
