import type { W8Config } from './workloads/w8WritePath.js';

/** The workloads of issue #6, item 1, W7 (issue #12, item 4), W8 (issue #17, item 1) and W9 (issue #17, item 3). */
export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

/**
 * Every size and knob of the bench, read from the environment (see docs/performance.md). The defaults are
 * scaled so that the whole run stays under 10 minutes on 2 shared cores.
 */
export interface BenchConfig {
  repetitions: number;
  only: ReadonlySet<WorkloadId>;
  /** Server names to run (`ours@head` stands for the exported last commit); undefined: all. */
  servers: readonly string[] | undefined;
  /** W1/W2: subscribers of the small and the large runs (0 skips the large one). */
  small: number;
  large: number;
  /** W2: events/s at `small`; `largeRate` at `large`. */
  rates: readonly number[];
  largeRate: number;
  /** Length of each W2 phase at the small size, and of the one at the large size. */
  phaseMs: number;
  largePhaseMs: number;
  /** Bursts: `size` events in one tick, `perSecond` ticks, for `ms`. */
  burst: { size: number; perSecond: number; ms: number };
  /** Every n-th broadcast client samples latency. */
  sampleEvery: number;
  /** W3: order status streams, and the time each live status takes to reach all of them. */
  orders: number;
  orderStepMs: number;
  /** W4: streams in flight, warm-up and measured window, recommendations per stream. */
  requests: { concurrency: number; warmupMs: number; durationMs: number; limit: number };
  /** W5: Unix socket clients, the share that stops reading, and the burst phase pushed to them. */
  slow: { clients: number; fraction: number; events: number; burstSize: number; perSecond: number };
  /** W6: the Redis server (empty: W6 is skipped). */
  redisUrl: string;
  /** W7: inventory writes through the compiled server (see workloads/w7Writes.ts). */
  w7: W7Config;
  /** W8: every event from a real inventory write (see workloads/w8WritePath.ts). */
  w8: W8Config;
  /** W9: many inventory streams on ours with WORKERS and on raw node:http in node:cluster. */
  w9: W9Config;
  /** Where the report goes. */
  out: string;
  /** True when nothing was narrowed or resized: the run that writes RESULTS.md. */
  complete: boolean;
}

export interface W7Config {
  /** The "before" checkout: a directory with it built, or else a git revision exported and built under /tmp. */
  beforeDir: string | undefined;
  beforeRevision: string;
  /** The "now" checkout (built); default this tree. */
  nowDir: string | undefined;
  /** A Postgres server database the bench may create and drop databases from (empty: W7a is skipped). */
  postgresUrl: string;
  instances: number;
  /** Closed loop: writes in flight, tried in turn until the rate stops growing or anything goes wrong. */
  concurrencies: readonly number[];
  stepMs: number;
  /** Open loop: writes/s offered for the latency figures, for `rateMs`, at most `maxInFlight` waiting. */
  rate: number;
  rateMs: number;
  maxInFlight: number;
  /** How long every subscriber may take, after the last answer, to have every change. */
  settleMs: number;
}

export interface W9Config {
  streams: number;
  /** Server workers (each process may hold 20 000 open files here, so 50 000 streams need at least 3). */
  workers: number;
  /** Load generator processes, each on its own source address 127.0.0.2, .3, … */
  loadgens: number;
  /** Connects in flight per load generator (the listen backlog is 511). */
  connectWindow: number;
  /** Events broadcast, one every `intervalMs`. */
  writes: number;
  intervalMs: number;
  /** How long every stream may take, after the last write, to have every event. */
  settleMs: number;
  repetitions: number;
}

const SIZE_KNOBS = [
  'BENCH_RATES',
  'BENCH_SMALL',
  'BENCH_LARGE',
  'BENCH_ORDERS',
  'BENCH_REQUEST_CONCURRENCY',
  'BENCH_REQUEST_MS',
  'BENCH_SLOW_CLIENTS',
  'BENCH_SLOW_EVENTS',
  'BENCH_W7_STEP_MS',
  'BENCH_W7_RATE',
  'BENCH_W8_SIZES',
  'BENCH_W8_MS',
  'BENCH_W9_STREAMS',
  'BENCH_W9_WRITES',
];

function numberKnob(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got ${text}`);
  return value;
}

function workloads(text: string | undefined): ReadonlySet<WorkloadId> {
  if (!text) return new Set(WORKLOADS);
  const picked = text.split(',').map((id) => id.trim().toUpperCase());
  for (const id of picked) {
    if (!(WORKLOADS as readonly string[]).includes(id)) {
      throw new Error(`BENCH_ONLY: unknown workload ${id}; use any of ${WORKLOADS.join(',')}`);
    }
  }
  return new Set(picked as WorkloadId[]);
}

/** W8's subscriber counts (default 1000 and 10 000). */
function w8Sizes(text: string | undefined): number[] {
  const picked = (text || '1000,10000').split(',').map(Number);
  if (picked.some((size) => !Number.isInteger(size) || size <= 0)) throw new Error(`BENCH_W8_SIZES: ${text}`);
  return picked;
}

/** W2's steady rates at the small size; 50 events/s is always in (the targets and W6 use it). */
function rates(text: string | undefined): number[] {
  const picked = (text ?? '50,100').split(',').map(Number);
  if (picked.some((rate) => !Number.isFinite(rate) || rate <= 0)) throw new Error(`BENCH_RATES: ${text}`);
  return [...new Set([...picked, 50])].sort((a, b) => a - b);
}

export function readConfig(): BenchConfig {
  const repetitions = Math.max(1, Math.round(numberKnob('BENCH_REPS', 3)));
  const only = workloads(process.env.BENCH_ONLY);
  const servers = process.env.BENCH_SERVERS?.split(',').map((name) => name.trim());
  const complete =
    repetitions >= 3 &&
    only.size === WORKLOADS.length &&
    servers === undefined &&
    SIZE_KNOBS.every((name) => !process.env[name]);
  return {
    repetitions,
    only,
    servers,
    small: numberKnob('BENCH_SMALL', 1000),
    large: numberKnob('BENCH_LARGE', 10_000),
    rates: rates(process.env.BENCH_RATES),
    largeRate: 5,
    phaseMs: 600,
    largePhaseMs: 800,
    burst: { size: 10, perSecond: 20, ms: 400 },
    sampleEvery: 4,
    orders: numberKnob('BENCH_ORDERS', 2000),
    orderStepMs: 400,
    requests: {
      concurrency: numberKnob('BENCH_REQUEST_CONCURRENCY', 8),
      warmupMs: 300,
      durationMs: numberKnob('BENCH_REQUEST_MS', 1200),
      limit: 10,
    },
    slow: {
      clients: numberKnob('BENCH_SLOW_CLIENTS', 100),
      fraction: 0.01,
      events: numberKnob('BENCH_SLOW_EVENTS', 3000),
      burstSize: 25,
      perSecond: 40,
    },
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    w7: {
      beforeDir: process.env.BENCH_W7_BEFORE_DIR || undefined,
      beforeRevision: process.env.BENCH_W7_BEFORE || '72abe6c',
      nowDir: process.env.BENCH_W7_NOW_DIR || undefined,
      postgresUrl: process.env.BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
      instances: 3,
      concurrencies: [4, 8, 16, 32, 64, 128],
      stepMs: numberKnob('BENCH_W7_STEP_MS', 2000),
      rate: numberKnob('BENCH_W7_RATE', 500),
      rateMs: 4000,
      maxInFlight: 100,
      settleMs: 10_000,
    },
    w8: {
      sizes: w8Sizes(process.env.BENCH_W8_SIZES),
      // About 40 000 deliveries a second at 1000 subscribers and 50 000 at 10 000: under a core for raw.
      rates: w8Sizes(process.env.BENCH_W8_SIZES).map((size) => Math.max(1, Math.round(40_000 / size))),
      openMs: numberKnob('BENCH_W8_MS', 2000),
      concurrency: 16,
      closedMs: numberKnob('BENCH_W8_MS', 1000),
      aloneMs: numberKnob('BENCH_W8_MS', 2000),
      subscriberProcesses: 2,
      largeServers:
        process.env.BENCH_W8_LARGE === 'all'
          ? 'all'
          : (process.env.BENCH_W8_LARGE || 'raw,ours').split(',').map((name) => name.trim()),
    },
    w9: {
      streams: numberKnob('BENCH_W9_STREAMS', 50_000),
      workers: Math.max(1, Math.round(numberKnob('BENCH_W9_WORKERS', 4))),
      loadgens: Math.max(1, Math.round(numberKnob('BENCH_W9_LOADGENS', 5))),
      connectWindow: 64,
      writes: Math.max(1, Math.round(numberKnob('BENCH_W9_WRITES', 30))),
      intervalMs: 1000,
      settleMs: 30_000,
      repetitions: Math.max(1, Math.round(numberKnob('BENCH_W9_REPS', 1))),
    },
    out: process.env.BENCH_OUT ?? (complete ? 'bench/RESULTS.md' : 'bench/RESULTS.partial.md'),
    complete,
  };
}
