import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { BenchServer } from './BenchServer.js';

// Imported by path so that the same bench can run this tree and an exported older commit (`OURS_ROOT`).
async function load<T>(root: string, module: string): Promise<T> {
  return (await import(pathToFileURL(`${root}/${module}`).href)) as T;
}

interface OursModules {
  bus: typeof import('../../src/bus/index.js');
  domain: typeof import('../../src/domain/index.js');
  app: typeof import('../../src/http/app.js');
  server: typeof import('../../src/http/server.js');
  sse: typeof import('../../src/sse/index.js');
  store: typeof import('../../src/store/index.js');
}

/**
 * The petstore app as `npm start` builds it (Koa routes, request validation, in-memory event log,
 * generated validators on every event), fed by appending to the inventory topic of its event log.
 */
export async function startOurs(root: string): Promise<BenchServer> {
  const m: OursModules = {
    bus: await load(root, 'src/bus/index.ts'),
    domain: await load(root, 'src/domain/index.ts'),
    app: await load(root, 'src/http/app.ts'),
    server: await load(root, 'src/http/server.ts'),
    sse: await load(root, 'src/sse/index.ts'),
    store: await load(root, 'src/store/index.ts'),
  };
  const { pino } = await import('pino');
  const logger = pino({ level: 'warn' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
  const store = await m.store.openStore();
  const eventLog = m.bus.createMemoryEventLog({ capacity: 1000 });
  const services = m.domain.createServices({ store, eventLog });
  const heartbeat = new m.sse.HeartbeatWheel(60_000);
  const app = m.app.createApp({ logger, services, streams: { retryMs: 1500, heartbeat, logger } });
  const server = m.server.createHttpServer(app);
  const address: AddressInfo = await m.server.listen(server, 0, '127.0.0.1');
  return {
    port: address.port,
    publish(events) {
      for (const data of events) void eventLog.append('inventory', 'stock-change', data);
    },
    connections: () => eventLog.readerCount('inventory'),
  };
}
