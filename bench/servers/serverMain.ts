import { tmpdir } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { LIVE_STATUSES } from '../orderPayload.js';
import { stockChange } from '../payload.js';
import type { BenchServer, PreparedOrders } from './BenchServer.js';
import { startBetterSse } from './betterSse.js';
import { startFastifySse } from './fastifySse.js';
import { startHono } from './hono.js';
import { type OursEventLog, startOurs } from './ours.js';
import { startRaw } from './raw.js';
import { listenUnix } from './unixListener.js';

/** Messages from the bench runner (over the fork IPC channel). */
export type ServerCommand =
  | { type: 'stats'; gc: boolean }
  | { type: 'publish'; bursts: number; burstSize: number; intervalMs: number }
  | { type: 'prepare-orders'; count: number }
  | { type: 'publish-orders'; count: number; stepMs: number };

export interface ServerReady {
  type: 'ready';
  port: number;
  /** The Unix socket the same server answers on (W5). */
  socketPath: string;
  /** Whether it serves W3's order status streams. */
  orders: boolean;
}

export interface ServerStats {
  type: 'stats';
  rss: number;
  heapUsed: number;
  external: number;
  cpuMicros: number;
  connections: number;
  /** Open TCP and Unix socket connections, streams or not. */
  sockets: number;
  /** Bytes written to Unix socket clients that still wait in the process. */
  queuedBytes: number;
  /** Bytes V8 holds for its young generation (new space): it grows and shrinks with the allocation rate. */
  youngGen: number;
}

export interface Published {
  type: 'published';
  events: number;
  /** Per event, from the publish call until the event log accepted it (empty for synchronous servers). */
  roundTripsMs: number[];
}

export type OrdersPrepared = PreparedOrders & { type: 'orders-prepared'; ms: number };

const kind = process.argv[2] ?? 'raw';
const oursLog = (): OursEventLog =>
  process.env.OURS_EVENT_LOG === 'redis'
    ? {
        kind: 'redis',
        url: process.env.OURS_REDIS_URL ?? 'redis://127.0.0.1:6379',
        keyPrefix: process.env.OURS_REDIS_PREFIX ?? `petstore-bench-${process.pid}:`,
      }
    : { kind: 'memory' };
const starters: Record<string, () => Promise<BenchServer>> = {
  raw: startRaw,
  ours: () =>
    startOurs(process.env.OURS_ROOT ?? process.cwd(), oursLog(), process.env.OURS_DATABASE_URL || undefined),
  'better-sse': startBetterSse,
  '@fastify/sse': startFastifySse,
  'hono streamSSE': startHono,
};
const start = starters[kind.startsWith('ours') ? 'ours' : kind];
if (!start) throw new Error(`unknown server ${kind}`);
const server = await start();
const unix = await listenUnix(server.http, `${tmpdir()}/petstore-sse-bench-${process.pid}.sock`);
let seq = 0;

async function stats(): Promise<ServerStats> {
  const tcp = await new Promise<number>((resolve) =>
    server.http.getConnections((error, count) => resolve(error ? 0 : count)),
  );
  const usage = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    type: 'stats',
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external + memory.arrayBuffers,
    cpuMicros: usage.user + usage.system,
    connections: server.connections(),
    sockets: tcp + unix.connections,
    queuedBytes: unix.queuedBytes(),
    youngGen: getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0,
  };
}

/** `bursts` ticks `intervalMs` apart, each broadcasting `burstSize` events in one go. */
function publish(command: Extract<ServerCommand, { type: 'publish' }>): void {
  let sent = 0;
  const pending: Array<Promise<number>> = [];
  const startedAt = performance.now();
  const burst = (): void => {
    const events = Array.from({ length: command.burstSize }, () => stockChange(++seq));
    const calledAt = performance.now();
    for (const accepted of server.publish(events) ?? []) {
      pending.push(accepted.then(() => performance.now() - calledAt));
    }
    const next = startedAt + ++sent * command.intervalMs;
    if (sent < command.bursts) setTimeout(burst, Math.max(0, next - performance.now()));
    else
      void Promise.all(pending).then((roundTripsMs) =>
        process.send?.({
          type: 'published',
          events: sent * command.burstSize,
          roundTripsMs,
        } satisfies Published),
      );
  };
  burst();
}

/**
 * W3's schedule: for each live status in turn, the `count` orders are published evenly over `stepMs`, in
 * ticks of about 5 ms, so every stream gets its own event and the total rate is `count / stepMs`.
 */
function publishOrders(command: Extract<ServerCommand, { type: 'publish-orders' }>): void {
  const orders = server.orders!;
  const ticks = Math.max(1, Math.round(command.stepMs / 5));
  const total = LIVE_STATUSES.length * ticks;
  const startedAt = performance.now();
  let tick = 0;
  const run = (): void => {
    const status = LIVE_STATUSES[Math.floor(tick / ticks)]!;
    const step = tick % ticks;
    const from = Math.floor((step * command.count) / ticks);
    const to = Math.floor(((step + 1) * command.count) / ticks);
    for (let index = from; index < to; index++) orders.publish(index, status);
    tick++;
    if (tick < total) {
      setTimeout(run, Math.max(0, startedAt + (tick * command.stepMs) / ticks - performance.now()));
    } else {
      const events = LIVE_STATUSES.length * command.count;
      process.send?.({ type: 'published', events, roundTripsMs: [] } satisfies Published);
    }
  };
  run();
}

async function handle(command: ServerCommand): Promise<void> {
  switch (command.type) {
    case 'stats':
      if (command.gc) {
        globalThis.gc?.();
        globalThis.gc?.();
      }
      process.send?.(await stats());
      return;
    case 'publish':
      publish(command);
      return;
    case 'prepare-orders': {
      if (!server.orders) throw new Error(`${kind} has no order status streams`);
      const startedAt = performance.now();
      const prepared = await server.orders.prepare(command.count);
      process.send?.({ type: 'orders-prepared', ...prepared, ms: performance.now() - startedAt });
      return;
    }
    case 'publish-orders':
      publishOrders(command);
  }
}

process.on('message', (command: ServerCommand) => {
  handle(command).catch((error: unknown) => process.send?.({ type: 'failed', error: String(error) }));
});
// An exit on SIGTERM (not the default kill) lets `--cpu-prof` write its profile.
process.on('SIGTERM', () => {
  unix.close();
  process.exit(0);
});
process.send?.({
  type: 'ready',
  port: server.port,
  socketPath: unix.path,
  orders: server.orders !== undefined,
} satisfies ServerReady);
