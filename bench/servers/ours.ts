import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { BenchServer } from './BenchServer.js';
import { oursOrderStatuses } from './oursOrders.js';

// Imported by path so that the same bench can run this tree and an exported older commit (`OURS_ROOT`).
async function load<T>(root: string, module: string): Promise<T> {
  return (await import(pathToFileURL(`${root}/${module}`).href)) as T;
}

interface OursModules {
  bus: typeof import('../../src/bus/index.js');
  domain: typeof import('../../src/domain/index.js');
  orderEvents: typeof import('../../src/domain/orders/orderEvents.js');
  app: typeof import('../../src/http/app.js');
  /** Absent before the auth commit: that app has no order authentication (and no `auth` option). */
  auth: typeof import('../../src/http/auth/index.js') | undefined;
  server: typeof import('../../src/http/server.js');
  sse: typeof import('../../src/sse/index.js');
  store: typeof import('../../src/store/index.js');
}

/** Which event log the app runs on: the in-memory default, or Redis Streams (W6). */
export type OursEventLog = { kind: 'memory' } | { kind: 'redis'; url: string; keyPrefix: string };

/**
 * The petstore app as `npm start` builds it (Koa routes, request validation, an in-memory PGlite store with
 * the seeded catalog, generated validators on every event) without the fulfilment worker, its stream limits
 * or rate limits; fed by appending to the inventory topic of its event log.
 */
export async function startOurs(root: string, log: OursEventLog): Promise<BenchServer> {
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
  const { pino } = await import('pino');
  const logger = pino({ level: 'warn' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
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
