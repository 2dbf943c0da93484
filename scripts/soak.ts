/**
 * Soak run (`npm run soak`, not part of `npm test`): starts the app in this process, opens and aborts
 * SOAK_CYCLES (20000) inventory streams, SOAK_CONCURRENCY (64) at a time, while changes are published, then
 * checks that the heap (after `global.gc()`), active handles, listener counts and open streams are back to
 * their baseline. Prints the figures; exits 1 if one is not. Needs `node --expose-gc` (the npm script passes it).
 */
import { getEventListeners } from 'node:events';
import { type ClientRequest, request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { readConfig } from '../src/config/index.js';
import { INVENTORY_TOPIC } from '../src/domain/inventory/index.js';
import { createSystem } from '../src/system/index.js';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 20_000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 64);
const WARMUP = 500;
/** Heap growth allowed between baseline and end, after GC: JIT code and caches settle, a leak keeps growing. */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('soak: run with node --expose-gc (npm run soak does)');
  process.exit(2);
}

let warnings = 0;
const logger = pino(
  { level: 'warn' },
  new Writable({
    write(_chunk, _encoding, done) {
      warnings += 1;
      done();
    },
  }),
);
const defaults = readConfig({});
const system = await createSystem(
  {
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    heartbeatMs: 50,
    retryMs: 1000,
    retryJitter: 0.5,
    dataDir: undefined,
    limits: {
      ...defaults.limits,
      maxStreams: 10_000,
      maxStreamsPerClient: CONCURRENCY * 4,
      rateLimitPerMinute: 0,
    },
    shutdown: { spreadMs: 0, timeoutMs: 1000 },
  },
  { logger },
);
const { store, server, heartbeat, openStreams, metrics, shutdownSignal } = system;
const { eventLog } = system;
const { port } = await system.listen();
const url = `http://127.0.0.1:${port}/v1/inventory/stream`;
const petId = (await store.pets.all())[0]!.id;

const outcomes = { streamed: 0, abortedEarly: 0, refused: 0, failed: 0 };
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** One client: connects, then aborts at once (every fourth) or after its first bytes. */
function cycle(index: number): Promise<void> {
  return new Promise((resolve) => {
    let get: ClientRequest | undefined;
    const done = (outcome: keyof typeof outcomes) => {
      outcomes[outcome] += 1;
      get?.destroy();
      resolve();
    };
    get = request(url, { agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return done('refused');
      }
      response.once('data', () => done('streamed'));
    });
    get.on('error', () => {
      if (!get?.destroyed) done('failed');
    });
    if (index % 4 === 0) get.once('socket', (socket) => socket.once('connect', () => done('abortedEarly')));
    get.end();
  });
}

async function run(count: number): Promise<void> {
  let next = 0;
  const publisher = setInterval(() => {
    void eventLog.append(INVENTORY_TOPIC, {
      event: 'stock-change',
      data: { petId, oldStock: 3, newStock: 2, timestamp: new Date().toISOString() },
    });
  }, 5);
  const worker = async () => {
    while (next < count) await cycle(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  clearInterval(publisher);
}

async function connections(): Promise<number> {
  server.closeIdleConnections();
  return new Promise((resolve, reject) =>
    server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
  );
}

/** Waits until the server holds no stream, subscription, heartbeat target or connection (10 s at most). */
async function settle(): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const idle =
      openStreams.size === 0 &&
      eventLog.live.readerCount(INVENTORY_TOPIC.name) === 0 &&
      heartbeat.size === 0 &&
      (await connections()) === 0;
    if (idle || performance.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measure() {
  for (let i = 0; i < 4; i += 1) {
    gc!();
    await turn();
  }
  const handles: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  const gauge = (await metrics.registry.getSingleMetric('sse_streams_open')?.get())?.values ?? [];
  return {
    heapUsed: process.memoryUsage().heapUsed,
    handles,
    listeners: {
      serverRequest: server.listenerCount('request'),
      serverConnection: server.listenerCount('connection'),
      serverClientError: server.listenerCount('clientError'),
      process: process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0),
      shutdownSignal: getEventListeners(shutdownSignal, 'abort').length,
    },
    openStreams: openStreams.size,
    subscribers: eventLog.live.readerCount(INVENTORY_TOPIC.name),
    heartbeatTargets: heartbeat.size,
    connections: await connections(),
    openStreamsGauge: gauge.reduce((sum, sample) => sum + sample.value, 0),
  };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

await run(WARMUP);
await settle();
const baseline = await measure();
Object.assign(outcomes, { streamed: 0, abortedEarly: 0, refused: 0, failed: 0 });
const started = performance.now();
await run(CYCLES);
const seconds = (performance.now() - started) / 1000;
await settle();
const after = await measure();

const failures: string[] = [];
const heapGrowth = after.heapUsed - baseline.heapUsed;
if (heapGrowth > HEAP_SLACK_BYTES)
  failures.push(`heap grew by ${mib(heapGrowth)} (allowed ${mib(HEAP_SLACK_BYTES)})`);
for (const [type, count] of Object.entries(after.handles)) {
  if (count > (baseline.handles[type] ?? 0))
    failures.push(`${count} ${type} handles, baseline ${baseline.handles[type] ?? 0}`);
}
for (const [name, count] of Object.entries(after.listeners)) {
  const before = baseline.listeners[name as keyof typeof baseline.listeners];
  if (count !== before) failures.push(`${name} listeners: ${count}, baseline ${before}`);
}
for (const key of [
  'openStreams',
  'subscribers',
  'heartbeatTargets',
  'connections',
  'openStreamsGauge',
] as const) {
  if (after[key] !== 0) failures.push(`${key} is ${after[key]}, not 0`);
}
if (outcomes.failed > 0 || outcomes.refused > 0) {
  failures.push(`${outcomes.failed} cycles failed and ${outcomes.refused} were refused`);
}
if (warnings > 0) failures.push(`${warnings} warnings or errors were logged`);

console.log(`soak: ${CYCLES} connect/abort cycles, ${CONCURRENCY} at a time, in ${seconds.toFixed(1)} s`);
console.log(`  outcomes  ${JSON.stringify(outcomes)}`);
console.log(
  `  heap      baseline ${mib(baseline.heapUsed)}, after ${mib(after.heapUsed)} (${mib(heapGrowth)})`,
);
console.log(
  `  handles   baseline ${JSON.stringify(baseline.handles)}, after ${JSON.stringify(after.handles)}`,
);
console.log(
  `  listeners baseline ${JSON.stringify(baseline.listeners)}, after ${JSON.stringify(after.listeners)}`,
);
console.log(
  `  streams   open ${after.openStreams}, subscribers ${after.subscribers}, heartbeat targets ${after.heartbeatTargets}, ` +
    `connections ${after.connections}, sse_streams_open ${after.openStreamsGauge}`,
);

await system.shutdown();
if (failures.length > 0) {
  console.error(`soak: FAILED\n  - ${failures.join('\n  - ')}`);
  process.exit(1);
}
console.log('soak: OK, everything is back to its baseline');
