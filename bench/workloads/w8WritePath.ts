import type { LoadGenerator } from '../LoadGenerator.js';
import type { PatchesCommand, PatchesResult, PhaseResult } from '../loadgen/protocol.js';
import { STREAM_PATH } from '../payload.js';
import { procCpuMicros } from '../procCpu.js';
import type { Results, Row, SectionSpec } from '../Results.js';
import type { ServerProcess } from '../ServerProcess.js';
import { quantile } from '../stats.js';
import { sleep } from './WorkloadContext.js';

/** W8's sizes and phases (see config.ts `w8`). */
export interface W8Config {
  /** Subscriber counts, each run in turn. */
  sizes: readonly number[];
  /** Open loop: writes/s offered at each size (same order as `sizes`) for `openMs`. */
  rates: readonly number[];
  openMs: number;
  /** Closed loop: writes in flight for `closedMs`. */
  concurrency: number;
  closedMs: number;
  /** Write alone (no subscriber): one write in flight for this long. */
  aloneMs: number;
  /** Subscriber processes the streams are spread over. */
  subscriberProcesses: number;
  /** Servers that also run the sizes above 1000 (the peers take minutes to connect 10 000 streams each). */
  largeServers: readonly string[] | 'all';
}

/** A server W8 writes to, and what its writes need. */
export interface W8Target {
  server: ServerProcess;
  petIds: string[];
  headers: Record<string, string>;
}

/** What W8 runs with. */
export interface W8Context {
  readonly config: W8Config;
  readonly results: Results;
  readonly writer: LoadGenerator;
  readonly subscribers: readonly LoadGenerator[];
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

const HOW =
  'Every event is a real `PATCH /v1/inventory/{petId}` `{"stock": n}` (a stock never written before, so each 2xx is ' +
  'one `stock-change`) sent over kept-alive HTTP/1.1 by a writer process of its own; the subscribers are raw ' +
  'sockets spread over subscriber processes of their own. Server CPU = utime + stime of the server process from ' +
  '`/proc/<pid>/stat` (read from outside, 10 ms ticks) over the phase, per event delivered (summed over every ' +
  'subscriber): it includes the request, its validation, the transaction and outbox row (ours) and the fan-out. ' +
  'ours = the full app on in-memory PGlite with validation on; the peers answer the same PATCH with a minimal ' +
  'handler of their own framework that broadcasts to their subscribers (no validation, no store).';

export const w8AloneSection = (label: string): SectionSpec => ({
  workload: 'W8',
  title: `W8 one write alone (no subscriber)${label}`,
  columns: ['cpuMicrosPerWrite', 'writesPerSecond', 'failedWrites'],
  note: "One write in flight, closed loop, no stream open: server CPU µs per PATCH answered 2xx. ours on PGlite (in memory) and, where a Postgres server answers, ours on Postgres (a new database; Postgres' own CPU is not counted).",
});

export const w8OpenSection = (subscribers: number, rate: number): SectionSpec => ({
  workload: 'W8',
  title: `W8 writes to ${subscribers} subscribers, open loop ${rate} writes/s`,
  columns: [
    'connections',
    'writes',
    'delivered',
    'cpuMicrosPerEvent',
    'p50',
    'p99',
    'failedWrites',
    'losses',
    'duplicates',
  ],
  note: `${HOW} Latency: the event's \`timestamp\` (taken in the handler; ours: before the commit) to receipt, every 4th subscriber.`,
});

export const w8ClosedSection = (subscribers: number, concurrency: number): SectionSpec => ({
  workload: 'W8',
  title: `W8 writes to ${subscribers} subscribers, closed loop ${concurrency} writes in flight`,
  columns: [
    'connections',
    'writes',
    'writesPerSecond',
    'delivered',
    'eventsPerSecond',
    'cpuMicrosPerEvent',
    'failedWrites',
    'losses',
    'duplicates',
  ],
  note:
    'The closed-loop maximum: the writer keeps that many writes in flight; delivered events/s = events received ' +
    'by all subscribers / (first write sent → last event received). Every server writes what it has to its sockets ' +
    'as it sees fit (raw: one write per event per client).',
});

/** Server CPU µs around `work`, read from /proc. */
async function withCpu<T>(server: ServerProcess, work: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const before = await procCpuMicros(server.pid);
  const value = await work();
  return { value, cpu: (await procCpuMicros(server.pid)) - before };
}

const patches = (ctx: W8Context, target: W8Target, mode: PatchesCommand['mode']): Promise<PatchesResult> =>
  ctx.writer.patches({ port: target.server.port, petIds: target.petIds, headers: target.headers, mode });

/** The subscribers' view of one phase, summed over their processes. */
async function phaseOf(ctx: W8Context, writes: Promise<PatchesResult>) {
  await Promise.all(ctx.subscribers.map((s) => s.reset()));
  const written = await writes;
  const phases: PhaseResult[] = await Promise.all(
    ctx.subscribers.map((s) => s.awaitPhase(written.ok, 60_000)),
  );
  const sum = (pick: (p: PhaseResult) => number) => phases.reduce((total, p) => total + pick(p), 0);
  return {
    written,
    received: sum((p) => p.received),
    losses: sum((p) => p.losses),
    duplicates: sum((p) => p.duplicates + p.gaps),
    spanMs: Math.max(...phases.map((p) => p.spanMs)),
    latencies: phases.flatMap((p) => p.latenciesMs),
  };
}

/** One write at a time, no stream open: the write path alone. */
export async function writeAlone(ctx: W8Context, target: W8Target, section: SectionSpec): Promise<void> {
  const { value, cpu } = await ctx.step('W8 write alone', () =>
    withCpu(target.server, () =>
      patches(ctx, target, { kind: 'closed', concurrency: 1, durationMs: ctx.config.aloneMs }),
    ),
  );
  ctx.results.record(section, target.server.name, {
    cpuMicrosPerWrite: cpu / Math.max(1, value.ok),
    writesPerSecond: value.ok / (value.durationMs / 1000),
    failedWrites: value.failed,
  });
}

/** Opens `count` streams spread over the subscriber processes; waits until the server counts them all. */
async function connect(ctx: W8Context, target: W8Target, count: number): Promise<number> {
  const share = (i: number) =>
    Math.floor(((i + 1) * count) / ctx.subscribers.length) - Math.floor((i * count) / ctx.subscribers.length);
  const opened = await Promise.all(
    ctx.subscribers.map((s, i) =>
      s.connect({ target: { port: target.server.port }, path: STREAM_PATH, count: share(i), sampleEvery: 4 }),
    ),
  );
  const open = opened.reduce((total, c) => total + c.open, 0);
  for (let i = 0; i < 200 && (await target.server.stats(false)).connections < open; i++) await sleep(50);
  return open;
}

async function disconnect(ctx: W8Context, target: W8Target): Promise<void> {
  await Promise.all(ctx.subscribers.map((s) => s.close()));
  const deadline = performance.now() + 10_000;
  while ((await target.server.stats(false)).sockets > 0 && performance.now() < deadline) await sleep(20);
}

/** W8 at one size on one server: connect, warm up, the open-loop phase, the closed-loop phase, close. */
export async function writesToSubscribers(
  ctx: W8Context,
  target: W8Target,
  size: number,
  rate: number,
): Promise<void> {
  const { config } = ctx;
  const open = await ctx.step(`W8 connect ${size}`, () => connect(ctx, target, size));
  try {
    // About 10 000 deliveries: JIT and socket buffers warm, without minutes of draining at 10 000 streams.
    const warmUp = Math.max(2, Math.round(10_000 / size));
    await ctx.step('W8 warm-up', () =>
      phaseOf(ctx, patches(ctx, target, { kind: 'open', rate: 50, count: warmUp })),
    );
    const count = Math.max(1, Math.round((rate * config.openMs) / 1000));
    const steady = await ctx.step(`W8 ${size} × ${rate} writes/s`, () =>
      withCpu(target.server, () => phaseOf(ctx, patches(ctx, target, { kind: 'open', rate, count }))),
    );
    ctx.results.record(w8OpenSection(size, rate), target.server.name, {
      connections: open,
      ...common(steady.value, steady.cpu),
      p50: quantile(steady.value.latencies, 0.5),
      p99: quantile(steady.value.latencies, 0.99),
    });
    const closed = await ctx.step(`W8 ${size} × ${config.concurrency} in flight`, () =>
      withCpu(target.server, () =>
        phaseOf(
          ctx,
          patches(ctx, target, {
            kind: 'closed',
            concurrency: config.concurrency,
            durationMs: config.closedMs,
          }),
        ),
      ),
    );
    ctx.results.record(w8ClosedSection(size, config.concurrency), target.server.name, {
      connections: open,
      ...common(closed.value, closed.cpu),
      writesPerSecond: closed.value.written.ok / (closed.value.written.durationMs / 1000),
      eventsPerSecond: closed.value.received / (closed.value.spanMs / 1000),
    });
  } finally {
    await ctx.step('W8 close', () => disconnect(ctx, target));
  }
}

function common(phase: Awaited<ReturnType<typeof phaseOf>>, cpu: number): Row {
  return {
    writes: phase.written.ok,
    delivered: phase.received,
    cpuMicrosPerEvent: cpu / Math.max(1, phase.received),
    failedWrites: phase.written.failed + phase.written.shed,
    losses: phase.losses,
    duplicates: phase.duplicates,
  };
}
