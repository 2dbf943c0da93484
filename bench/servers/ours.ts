import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { EventLog } from '../../src/domain/index.js';
import type { BenchServer } from './BenchServer.js';
import { oursOrderStatuses } from './oursOrders.js';

// Imported by path so that the same bench can run this tree and an exported older commit (`OURS_ROOT`).
async function load<T>(root: string, module: string): Promise<T> {
  return (await import(pathToFileURL(`${root}/${module}`).href)) as T;
}

/** A tree whose wiring is `createSystem` (from the http reorganisation on). */
interface SystemModules {
  config: typeof import('../../src/config/index.js');
  system: typeof import('../../src/system/index.js');
  orderEvents: typeof import('../../src/domain/orders/orderEvents.js');
}

/** The event log of a tree from before the outbox: appended to directly, ids assigned by the log. */
export interface LegacyEventLog {
  append(topic: string, event: string, data: unknown): Promise<string>;
  readerCount(topic: string): number;
}

/** An older tree, wired here as its `main.ts` did (typed loosely: its modules are not this tree's). */
interface OursModules {
  bus: {
    createMemoryEventLog(options: { capacity: number }): LegacyEventLog;
    createRedisEventLog(options: { url: string; keyPrefix: string; maxLen: number }): LegacyEventLog;
  };
  // biome-ignore lint/suspicious/noExplicitAny: an older tree's domain module, wired as its main.ts did
  domain: { createServices(deps: { store: unknown; eventLog: LegacyEventLog }): any };
  orderEvents: typeof import('../../src/domain/orders/orderEvents.js');
  app: typeof import('../../src/http/app.js');
  /** Absent before the auth commit: that app has no order authentication (and no `auth` option). */
  auth: typeof import('../../src/http/auth/index.js') | undefined;
  server: {
    createHttpServer(app: import('koa')): import('node:http').Server;
    listen(server: import('node:net').Server, port: number, host: string): Promise<AddressInfo>;
  };
  sse: typeof import('../../src/sse/index.js');
  store: typeof import('../../src/store/index.js');
}

/** Which event log the app runs on: the in-memory default, or Redis Streams (W6). */
export type OursEventLog = { kind: 'memory' } | { kind: 'redis'; url: string; keyPrefix: string };

/**
 * The petstore app as `npm start` builds it (`createSystem`: Koa routes, request validation, an in-memory
 * PGlite store with the seeded catalog, generated validators on every event) without stream limits or rate
 * limits, and with the fulfilment worker idle; fed by appending to the inventory topic of its event log, or
 * by its own `PATCH /v1/inventory/{petId}` (W8). `databaseUrl` puts the store on Postgres instead. An
 * older tree (`ours@<commit>`, from before `createSystem`) is wired as its `main.ts` did.
 */
export async function startOurs(root: string, log: OursEventLog, databaseUrl?: string): Promise<BenchServer> {
  if (existsSync(`${root}/src/system/index.ts`)) return startSystem(root, log, databaseUrl);
  return startLegacy(root, log);
}

async function quietLogger() {
  const { pino } = await import('pino');
  return pino({ level: 'warn' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
}

async function startSystem(root: string, log: OursEventLog, databaseUrl?: string): Promise<BenchServer> {
  const m: SystemModules = {
    config: await load(root, 'src/config/index.ts'),
    system: await load(root, 'src/system/index.ts'),
    orderEvents: await load(root, 'src/domain/orders/orderEvents.ts'),
  };
  const defaults = m.config.readConfig({});
  const system = await m.system.createSystem(
    {
      ...defaults,
      port: 0,
      host: '127.0.0.1',
      heartbeatMs: 60_000,
      retryMs: 1500,
      retryJitter: 0,
      // The bench moves its orders itself: the fulfilment worker waits an hour before a step.
      orderStepMs: 3_600_000,
      eventLogSize: 1000,
      dataDir: undefined,
      databaseUrl,
      redisUrl: log.kind === 'redis' ? log.url : undefined,
      redisKeyPrefix: log.kind === 'redis' ? log.keyPrefix : defaults.redisKeyPrefix,
      limits: {
        ...defaults.limits,
        maxStreams: Number.POSITIVE_INFINITY,
        maxStreamsPerClient: Number.POSITIVE_INFINITY,
        rateLimitPerMinute: 0,
      },
      // Every bench client connects from 127.0.0.1: no per-client connection cap (a tree from before it
      // has no `connections` and ignores this).
      ...('connections' in defaults ? { connections: { ...defaults.connections, maxPerClient: 0 } } : {}),
    },
    { logger: await quietLogger() },
  );
  const { services, auth } = system;
  const address = await system.listen();
  const eventLog = system.eventLog as EventLog | LegacyEventLog;
  if (!('write' in eventLog)) {
    // A tree from before the outbox (e.g. the baseline of W7): its log is appended to directly.
    return {
      port: address.port,
      http: system.server as import('node:http').Server,
      publish: (events) => events.map((data) => eventLog.append('inventory', 'stock-change', data)),
      connections: () => eventLog.readerCount('inventory'),
      orders: oursOrderStatuses({ services, eventLog, orderEvents: m.orderEvents, auth }),
    };
  }
  const inventory = { name: 'inventory', live: true } as const;
  return {
    port: address.port,
    http: system.server as import('node:http').Server,
    // The events of one call are committed together, as one change that publishes several would.
    publish: (events) => [
      eventLog.write(async (_tx, publish) => {
        for (const data of events) publish(inventory, { event: 'stock-change', data } as never);
      }),
    ],
    connections: () => eventLog.live.readerCount('inventory'),
    orders: oursOrderStatuses({ services, eventLog, orderEvents: m.orderEvents, auth }),
  };
}

async function startLegacy(root: string, log: OursEventLog): Promise<BenchServer> {
  const m: OursModules = {
    bus: await load(root, 'src/bus/index.ts'),
    domain: await load(root, 'src/domain/index.ts'),
    orderEvents: await load(root, 'src/domain/orders/orderEvents.ts'),
    app: await load(root, 'src/http/app.ts'),
    auth: existsSync(`${root}/src/http/auth/index.ts`)
      ? await load(root, 'src/http/auth/index.ts')
      : undefined,
    server: await load(root, 'src/http/server.ts'),
    sse: await load(root, 'src/sse/index.ts'),
    store: await load(root, 'src/store/index.ts'),
  };
  const logger = await quietLogger();
  const store = await m.store.openStore();
  const eventLog =
    log.kind === 'memory'
      ? m.bus.createMemoryEventLog({ capacity: 1000 })
      : m.bus.createRedisEventLog({ url: log.url, keyPrefix: log.keyPrefix, maxLen: 1000 });
  const services = m.domain.createServices({ store, eventLog });
  const heartbeat = new m.sse.HeartbeatWheel(60_000);
  // Dev-mode auth: a random key, and demo tokens for the order streams' owner (W3).
  const auth = m.auth?.createAuth(m.auth.DEV_AUTH);
  const streams = { retryMs: 1500, heartbeat, logger };
  const app = m.app.createApp({ logger, services, streams, ...(auth ? { auth } : {}) });
  const server = m.server.createHttpServer(app);
  const address: AddressInfo = await m.server.listen(server, 0, '127.0.0.1');
  return {
    port: address.port,
    http: server,
    publish: (events) => events.map((data) => eventLog.append('inventory', 'stock-change', data)),
    connections: () => eventLog.readerCount('inventory'),
    orders: oursOrderStatuses({ services, eventLog, orderEvents: m.orderEvents, auth }),
  };
}
