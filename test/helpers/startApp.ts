import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createMemoryEventLog, type MemoryEventLog } from '../../src/bus/index.js';
import { createApp } from '../../src/http/app.js';
import { createHttpServer, listen } from '../../src/http/server.js';
import { HeartbeatWheel } from '../../src/sse/index.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The app on a real HTTP server (127.0.0.1, port 0) with an in-memory event log and captured logs. */
export interface StartedApp {
  url: string;
  eventLog: MemoryEventLog;
  heartbeat: HeartbeatWheel;
  logs: LogLine[];
  /** Open connections, after closing idle keep-alive ones: what is left carries a request or a stream. */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export async function startApp(
  options: { heartbeatMs?: number; retryMs?: number; logCapacity?: number } = {},
): Promise<StartedApp> {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as LogLine);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const eventLog = createMemoryEventLog({ capacity: options.logCapacity ?? 1000 });
  const heartbeat = new HeartbeatWheel(options.heartbeatMs ?? 60_000);
  const app = createApp({
    logger,
    eventLog,
    streams: { retryMs: options.retryMs ?? 1500, heartbeat, logger },
  });
  const server = createHttpServer(app);
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    eventLog,
    heartbeat,
    logs,
    openConnections: () => {
      server.closeIdleConnections();
      return new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      heartbeat.close();
      await eventLog.close();
    },
  };
}

/** Resolves once `condition` holds, checking after each macrotask turn; rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
