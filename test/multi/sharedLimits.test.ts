import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../faults/harness/redisServer.js';
import { type AnswerFrom, requestFrom } from '../helpers/requestFrom.js';
import { type ServerProcess, spawnServer, spawnServers } from '../helpers/spawnServer.js';
import { until } from '../helpers/startApp.js';
import { createTestDatabase } from '../helpers/testStore.js';

// Two instances on one Postgres database and a Redis of this file's own (it is stopped in the last test).
const PER_MINUTE = 4;
const PER_CLIENT = 2;
/** Renewed every third of it: a loaded machine may run a renewal late, so not much shorter. */
const LEASE_MS = 3000;
/** The address the tests use as a trusted proxy (TRUST_PROXY); every other 127.0.0.x is a plain client. */
const PROXY = '127.0.0.2';

let database: { url: string; drop(): Promise<void> };
let redis: RedisServer;
let env: Record<string, string>;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase('sec_proxy'), RedisServer.start()]);
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'limits-test:',
    RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
    MAX_STREAMS_PER_CLIENT: String(PER_CLIENT),
    STREAM_LEASE_MS: String(LEASE_MS),
    TRUST_PROXY: PROXY,
    EVENT_REDIS_TIMEOUT_MS: '300',
  };
  [a, b] = (await spawnServers([env, env], 120_000)) as [ServerProcess, ServerProcess];
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await Promise.all([database?.drop(), redis?.dispose()]);
});

const listPets = (server: ServerProcess, from: string, headers: Record<string, string> = {}) =>
  requestFrom(`${server.url}/v1/pets?limit=1`, from, { headers }).then(async (answer) => {
    await answer.text();
    return answer;
  });
const openStream = (server: ServerProcess, from: string) =>
  requestFrom(`${server.url}/v1/inventory/stream`, from);
/** The client address the request log of `server` shows for the request that carried `requestId`. */
async function loggedClient(server: ServerProcess, requestId: string): Promise<unknown> {
  const logged = () => server.logs.find((line) => line.msg === 'request' && line.requestId === requestId);
  // The line is printed once the answer is written: it may reach the test after the answer did.
  await until(() => logged() !== undefined);
  return logged()!.client;
}

async function expectRefused(answer: AnswerFrom, detail: string): Promise<void> {
  expect(answer.status).toBe(429);
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  const problem = JSON.parse(await answer.text()) as { type: string; detail: string };
  expect(problem.type).toBe('/problems/too-many-requests');
  expect(problem.detail).toContain(detail);
}

describe('limits shared by two instances through Redis', () => {
  it("counts a client's REST requests on both instances against one RATE_LIMIT_PER_MINUTE", async () => {
    const client = '127.0.0.11';
    const answers = [
      await listPets(a, client),
      await listPets(b, client),
      await listPets(a, client),
      await listPets(b, client),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const refused = await requestFrom(`${a.url}/v1/pets?limit=1`, client);
    await expectRefused(refused, 'RATE_LIMIT_PER_MINUTE');
    const onB = await requestFrom(`${b.url}/v1/pets?limit=1`, client);
    await expectRefused(onB, 'RATE_LIMIT_PER_MINUTE');
    expect((await listPets(b, '127.0.0.12')).status).toBe(200);
  });

  it("caps a client's streams on both instances together, and gives a slot back when a stream closes", async () => {
    const client = '127.0.0.21';
    const onA = await openStream(a, client);
    const onB = await openStream(b, client);
    expect([onA.status, onB.status]).toEqual([200, 200]);
    await expectRefused(await openStream(a, client), 'MAX_STREAMS_PER_CLIENT');
    await expectRefused(await openStream(b, client), 'MAX_STREAMS_PER_CLIENT');
    expect((await openStream(b, '127.0.0.22')).status).toBe(200);

    onA.destroy();
    await until(async () => (await redis.command('ZCARD', 'limits-test:streams:127.0.0.21')) === '1');
    const again = await openStream(b, client);
    expect(again.status).toBe(200);
    for (const stream of [onB, again]) stream.destroy();
  });

  it('frees the slots of an instance killed with its streams open once their leases lapse (STREAM_LEASE_MS)', async () => {
    const client = '127.0.0.31';
    const c = await spawnServer(env, 120_000);
    try {
      const held = [await openStream(c, client), await openStream(c, client)];
      expect(held.map((stream) => stream.status)).toEqual([200, 200]);
      // A new instance whose Redis connection is not up yet grants its first streams locally and adds their
      // leases with its next renewal (a third of STREAM_LEASE_MS): wait until Redis counts both.
      await until(
        async () => Number(await redis.command('ZCARD', `limits-test:streams:${client}`)) === PER_CLIENT,
        LEASE_MS * 2,
      );
      await expectRefused(await openStream(b, client), 'MAX_STREAMS_PER_CLIENT');
    } finally {
      await c.kill('SIGKILL');
    }
    const killedAt = performance.now();
    let admitted: AnswerFrom | undefined;
    await until(async () => {
      const answer = await openStream(b, client);
      if (answer.status === 200) admitted = answer;
      else await answer.text();
      return admitted !== undefined;
    }, LEASE_MS + 10_000);
    expect(performance.now() - killedAt).toBeLessThan(LEASE_MS + 3000);
    admitted?.destroy();
  }, 180_000);

  it('takes the client from X-Forwarded-For only when the peer is in TRUST_PROXY', async () => {
    const untrusted = '127.0.0.41';
    const spoofed = { 'x-forwarded-for': '198.51.100.1', 'x-request-id': 'spoofed-1' };
    expect((await listPets(a, untrusted, spoofed)).status).toBe(200);
    expect(await loggedClient(a, 'spoofed-1')).toBe(untrusted);
    for (let i = 1; i < PER_MINUTE; i += 1) {
      const other = { 'x-forwarded-for': `198.51.100.${i + 1}` };
      expect((await listPets(b, untrusted, other)).status).toBe(200);
    }
    // Each request claimed to come from another address: all were counted as the peer's.
    await expectRefused(
      await requestFrom(`${a.url}/v1/pets?limit=1`, untrusted, {
        headers: { 'x-forwarded-for': '198.51.100.9' },
      }),
      'RATE_LIMIT_PER_MINUTE',
    );

    const forwarded = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7', 'x-request-id': 'forwarded-1' };
    expect((await listPets(b, PROXY, forwarded)).status).toBe(200);
    expect(await loggedClient(b, 'forwarded-1')).toBe('203.0.113.7');
    for (let i = 1; i < PER_MINUTE; i += 1) {
      expect((await listPets(i % 2 ? a : b, PROXY, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    }
    await expectRefused(
      await requestFrom(`${a.url}/v1/pets?limit=1`, PROXY, { headers: { 'x-forwarded-for': '203.0.113.7' } }),
      'RATE_LIMIT_PER_MINUTE',
    );
    // The proxy itself, and the other clients behind it, are clients of their own.
    expect((await listPets(a, PROXY, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
    expect((await listPets(a, PROXY)).status).toBe(200);
  });

  it("falls back to each instance's own limits while Redis is down: no 5xx, no crash", async () => {
    await redis.stop();
    const client = '127.0.0.51';
    for (const server of [a, b]) {
      const answers = [];
      for (let i = 0; i < PER_MINUTE; i += 1) answers.push((await listPets(server, client)).status);
      expect(answers).toEqual(Array(PER_MINUTE).fill(200));
      await expectRefused(
        await requestFrom(`${server.url}/v1/pets?limit=1`, client),
        'RATE_LIMIT_PER_MINUTE',
      );
    }
    expect([a.process.exitCode, b.process.exitCode]).toEqual([null, null]);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  });
});
