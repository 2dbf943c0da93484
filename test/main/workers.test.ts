import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys } from '../bus/redisFixture.js';
import { TEST_JWT_SECRET } from '../helpers/accessTokens.js';
import { type SseCapture, sseRecorder } from '../helpers/collectSse.js';
import { readMetrics } from '../helpers/readMetrics.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { until } from '../helpers/startApp.js';
import { adminDatabaseUrl } from '../helpers/testStore.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(import.meta.dirname, '../..');
/** Four server processes start on 2 shared cores: each may take tens of seconds. */
const START_MS = 150_000;

interface Answer {
  status: number;
  text: string;
}

/** One request on a connection of its own (`agent: false`), so node:cluster may hand it to either worker. */
function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, {
      method,
      agent: false,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('error', reject);
    req.on('response', (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface OpenStream {
  status: number;
  capture: SseCapture;
  /** Resolves when the server ended the response or the connection closed. */
  ended: Promise<void>;
  close(): void;
}

/** An SSE stream on a connection of its own. */
function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (response: IncomingMessage) => {
      const recorder = sseRecorder();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => recorder.feed(chunk));
      const ended = new Promise<void>((done) => response.on('close', done));
      resolve({
        status: response.statusCode ?? 0,
        capture: recorder.capture,
        ended,
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/**
 * Headers of an inventory write: a dev token with the `inventory:write` scope where the server asks for one
 * (a server that does not know scopes refuses the field, and is asked for a plain token).
 */
async function writeHeaders(base: string): Promise<Record<string, string>> {
  for (const body of [{ userId: 'user-456', scopes: ['inventory:write'] }, { userId: 'user-456' }]) {
    const answer = await call(`${base}/v1/dev/tokens`, 'POST', body);
    if (answer.status === 200 || answer.status === 201) {
      const { accessToken } = JSON.parse(answer.text) as { accessToken: string };
      return { authorization: `Bearer ${accessToken}` };
    }
  }
  throw new Error('POST /v1/dev/tokens gave no token');
}

/** The workers (their `worker` slot) whose request log shows `method path`. */
const handledBy = (server: ServerProcess, method: string, urlPath: string): Set<unknown> =>
  new Set(
    server.logs
      .filter((line) => line.method === method && line.path === urlPath && line.worker !== undefined)
      .map((line) => line.worker),
  );

let dbName: string;
let server: ServerProcess;
let base: string;
let headers: Record<string, string>;
let petId: string;
let stock = 100;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dbName = `perf-scale-workers-${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE "${dbName}"`);
  const databaseUrl = new URL(adminDatabaseUrl);
  databaseUrl.pathname = `/${dbName}`;
  server = await spawnServer(
    {
      WORKERS: '2',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL,
      REDIS_KEY_PREFIX: `${dbName}:`,
      ORDER_STEP_MS: '60000',
      SSE_RETRY_MS: '1000',
      SHUTDOWN_SPREAD_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '2000',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUTH_DEV_TOKENS: 'true',
    },
    START_MS,
  );
  // A worker's own "listening" line resolves spawnServer; the primary's says that both listen.
  await until(() => server.logs.some((line) => line.role === 'primary' && line.workers === 2), START_MS);
  base = server.url;
  headers = await writeHeaders(base);
  const pets = JSON.parse((await call(`${base}/v1/pets?limit=1`, 'GET')).text) as { items: { id: string }[] };
  petId = pets.items[0]!.id;
}, START_MS + 30_000);

afterAll(async () => {
  await server?.kill();
  if (!dbName) return;
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, `${dbName}:`);
  redis.disconnect();
});

const setStock = async (): Promise<number> => {
  stock += 1;
  const answer = await call(`${base}/v1/inventory/${petId}`, 'PATCH', { stock }, headers);
  expect(answer.status).toBe(200);
  return stock;
};

const newStocks = (capture: SseCapture): number[] =>
  capture.events
    .filter((event) => event.event === 'stock-change')
    .map((event) => (JSON.parse(event.data) as { newStock: number }).newStock);

/** Opens streams one connection each until both workers hold at least one (node:cluster alternates them). */
async function streamsOnBothWorkers(query = '', extra: Record<string, string> = {}): Promise<OpenStream[]> {
  const streams: OpenStream[] = [];
  for (let i = 0; i < 8; i++) {
    streams.push(await openStream(`${base}/v1/inventory/stream${query}`, extra));
    const metrics = await readMetrics(base);
    const open = (worker: string) => metrics.value('sse_streams_open', { worker });
    if (streams.length >= 2 && open('1') >= 1 && open('2') >= 1) return streams;
  }
  throw new Error('the streams did not reach both workers');
}

describe('WORKERS=2 on Postgres and Redis', () => {
  let live: OpenStream[] = [];
  let firstId = '';
  const written: number[] = [];

  it('serves one port from both workers, and /metrics labels every series with its worker', async () => {
    live = await streamsOnBothWorkers(`?petId=${petId}`);
    for (const stream of live) expect(stream.status).toBe(200);
    const metrics = await readMetrics(base);
    expect(metrics.value('sse_streams_open', { worker: '1' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('sse_streams_open', { worker: '2' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('sse_streams_open')).toBe(live.length);
    expect(metrics.value('process_resident_memory_bytes', { worker: '1' })).toBeGreaterThan(0);
    expect(metrics.value('process_resident_memory_bytes', { worker: '2' })).toBeGreaterThan(0);
    expect(metrics.value('cluster_workers')).toBe(2);
    // One family per metric name: the workers' series are put together, not repeated.
    expect(metrics.text.match(/^# TYPE sse_streams_open /gm)).toHaveLength(1);
  });

  it('delivers a write made through either worker to the streams on both, once each', async () => {
    const patchPath = `/v1/inventory/${petId}`;
    while (handledBy(server, 'PATCH', patchPath).size < 2 && written.length < 10)
      written.push(await setStock());
    expect(handledBy(server, 'PATCH', patchPath)).toEqual(new Set([1, 2]));
    await until(() => live.every((stream) => newStocks(stream.capture).length === written.length), 20_000);
    for (const stream of live) expect(newStocks(stream.capture)).toEqual(written);
    firstId = live[0]!.capture.events[0]!.id!;
    for (const stream of live) expect(stream.capture.events[0]!.id).toBe(firstId);
  });

  it('resumes after Last-Event-ID on either worker without losing or repeating an event', async () => {
    const resumed = await streamsOnBothWorkers(`?petId=${petId}`, { 'last-event-id': firstId });
    await until(
      () => resumed.every((stream) => newStocks(stream.capture).length >= written.length - 1),
      20_000,
    );
    const later = await setStock();
    await until(() => resumed.every((stream) => newStocks(stream.capture).length === written.length), 20_000);
    for (const stream of resumed) expect(newStocks(stream.capture)).toEqual([...written.slice(1), later]);
    const metrics = await readMetrics(base);
    expect(metrics.value('sse_resumes_total', { worker: '1', outcome: 'replayed' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(metrics.value('sse_resumes_total', { worker: '2', outcome: 'replayed' })).toBeGreaterThanOrEqual(
      1,
    );
    for (const stream of resumed) stream.close();
    written.push(later);
  });

  it('forks a new worker in place of one that was killed, and counts the restart', async () => {
    const primary = server.logs.find((line) => line.role === 'primary' && line.workers === 2)!;
    const pids = primary.pids as number[];
    process.kill(pids[0]!, 'SIGKILL');
    await until(() => server.logs.some((line) => line.msg === 'worker died; forking a new one'), 10_000);
    const died = server.logs.find((line) => line.msg === 'worker died; forking a new one')!;
    expect(died).toMatchObject({ worker: 1, workerPid: pids[0], signal: 'SIGKILL' });
    await until(
      () =>
        server.logs.some(
          (line) =>
            line.worker === 1 &&
            String(line.msg).startsWith('petstore-sse listening') &&
            !pids.includes(line.pid as number),
        ),
      START_MS,
    );
    await until(async () => (await readMetrics(base)).value('cluster_workers') === 2, 10_000);
    const metrics = await readMetrics(base);
    expect(metrics.value('cluster_worker_restarts_total', { worker: '1' })).toBe(1);
    // The killed worker's streams were cut with it; the other worker's still receive.
    const next = await setStock();
    written.push(next);
    await until(() => live.some((stream) => newStocks(stream.capture).includes(next)), 20_000);
  });

  it("SIGTERM to the primary drains every worker's streams and exits 0", async () => {
    for (const stream of live) stream.close();
    const streams = await streamsOnBothWorkers();
    const exited = server.kill('SIGTERM');
    await Promise.all(streams.map((stream) => stream.ended));
    for (const stream of streams) {
      const last = stream.capture.events.at(-1)!;
      expect(last.event).toBe('stream-error');
      expect(JSON.parse(last.data).code).toBe('shutting_down');
    }
    expect(await exited).toBe(0);
    const shutDown = server.logs.filter((line) => line.msg === 'shut down');
    expect(shutDown.map((line) => line.worker ?? line.role).sort()).toEqual([1, 2, 'primary'].sort());
    expect(shutDown.find((line) => line.role === 'primary')).toMatchObject({ clean: true });
  });
});

describe('WORKERS on the embedded database', () => {
  it('refuses more than one worker at start-up, naming DATABASE_URL and REDIS_URL', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, WORKERS: '2', DATABASE_URL: '', REDIS_URL: '', PORT: '0' },
    });
    const failure = (await run.then(
      () => undefined,
      (error: unknown) => error,
    )) as { code: number; stderr: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('WORKERS="2" is not valid');
    expect(failure?.stderr).toMatch(/DATABASE_URL and REDIS_URL/);
  }, 60_000);
});
