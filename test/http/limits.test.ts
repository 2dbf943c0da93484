import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { collectSse } from '../helpers/collectSse.js';
import { expectMatchesSpec, expectProblem } from '../helpers/expectMatchesSpec.js';
import { metricValue } from '../helpers/readMetrics.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

/** A GET from a given local address (127.0.0.x: each is another client), on its own connection. */
function getFrom(
  url: string,
  from: string,
  headers: Record<string, string> = {},
): Promise<{ response: IncomingMessage; destroy(): void; text(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const get = request(url, { localAddress: from, agent: false, headers }, (response) =>
      resolve({
        response,
        destroy: () => get.destroy(),
        text: async () => {
          let text = '';
          for await (const chunk of response) text += String(chunk);
          return text;
        },
      }),
    );
    get.on('error', (error) => (get.destroyed ? undefined : reject(error)));
    get.end();
  });
}

/** The parts of a raw answer a test reads, as a fetch Response (for the spec helpers). */
async function asResponse(answer: Awaited<ReturnType<typeof getFrom>>): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.response.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Response(await answer.text(), { status: answer.response.statusCode ?? 0, headers });
}

let store: Store;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});

describe('stream caps', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({ store, limits: { maxStreamsPerClient: 2, maxStreams: 3 } });
  });
  afterAll(async () => {
    await app.close();
  });
  const stream = `/v1/inventory/stream`;

  it('refuses a client over MAX_STREAMS_PER_CLIENT with 429 and Retry-After before its stream opens, then admits it again once one closes', async () => {
    const open = [
      await getFrom(`${app.url}${stream}`, '127.0.0.1'),
      await getFrom(`${app.url}${stream}`, '127.0.0.1'),
    ];
    expect(open.map((client) => client.response.statusCode)).toEqual([200, 200]);
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 2);

    const refused = await getFrom(`${app.url}${stream}`, '127.0.0.1');
    expect(Number(refused.response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const problem = await expectMatchesSpec('streamInventory', await asResponse(refused), 429);
    expect(problem).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    expect(problem.detail).toContain('MAX_STREAMS_PER_CLIENT');
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(2);

    const other = await getFrom(`${app.url}${stream}`, '127.0.0.2');
    expect(other.response.statusCode).toBe(200);

    open[0]!.destroy();
    await until(() => app.openStreams.sizeOf('127.0.0.1') === 1);
    const again = await getFrom(`${app.url}${stream}`, '127.0.0.1');
    expect(again.response.statusCode).toBe(200);
    for (const client of [open[1]!, other, again]) client.destroy();
    await until(() => app.openStreams.size === 0);
    expect(
      await metricValue(app.url, 'sse_streams_refused_total', {
        channel: 'inventoryStream',
        reason: 'client_limit',
      }),
    ).toBe(1);
  });

  it('refuses any client over MAX_STREAMS, and still refuses bad input with 400 first', async () => {
    const open = await Promise.all(
      ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((from) => getFrom(`${app.url}${stream}`, from)),
    );
    expect(open.map((client) => client.response.statusCode)).toEqual([200, 200, 200]);
    const refused = await getFrom(`${app.url}/v1/pets/recommendations/stream?userId=user-456`, '127.0.0.4');
    const problem = await expectMatchesSpec('streamRecommendations', await asResponse(refused), 429);
    expect(problem.detail).toContain('MAX_STREAMS');
    const invalid = await getFrom(`${app.url}${stream}?petId=nope`, '127.0.0.4');
    expect(invalid.response.statusCode).toBe(400);
    await invalid.text();
    for (const client of open) client.destroy();
    await until(() => app.openStreams.size === 0 && app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });

  it('holds no slot for a request answered 204 or refused', async () => {
    const path = '/v1/pets/recommendations/stream?userId=user-456&limit=1';
    const run = await collectSse((await fetch(`${app.url}${path}`)).body!);
    for (let i = 0; i < 4; i += 1) {
      const finished = await fetch(`${app.url}${path}`, {
        headers: { 'last-event-id': run.events.at(-1)!.id! },
      });
      expect(finished.status).toBe(204);
    }
    await until(() => app.openStreams.size === 0);
  });
});

describe('REST rate limit', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({ store, limits: { rateLimitPerMinute: 3 } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a client over RATE_LIMIT_PER_MINUTE with 429 problem+json and Retry-After, and no other client', async () => {
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${app.url}/v1/pets?limit=1`)).status).toBe(200);
    const limited = await fetch(`${app.url}/v1/pets?limit=1`);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // One-minute windows (rate-limiter-flexible): the wait is what is left of the client's window.
    expect(retryAfter).toBeLessThanOrEqual(60);
    const problem = await expectMatchesSpec('listPets', limited, 429);
    expect(problem.detail).toContain('RATE_LIMIT_PER_MINUTE');
    expect((await fetch(`${app.url}/v1/orders`, { method: 'POST' })).status).toBe(429);

    const other = await getFrom(`${app.url}/v1/pets?limit=1`, '127.0.0.2');
    expect(other.response.statusCode).toBe(200);
    await other.text();
    expect(await metricValue(app.url, 'http_rate_limited_total')).toBe(2);
  });

  it('does not count streams, health, readiness or metrics', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
      expect((await fetch(`${app.url}${path}`)).status).toBe(200);
    }
    const stream = await fetch(`${app.url}/v1/inventory/stream`);
    expect(stream.status).toBe(200);
    await stream.body!.cancel();
  });
});

describe('request size limits', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({ store, limits: { maxHeaderBytes: 4096 } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers headers over MAX_HEADER_BYTES with 431 problem+json', async () => {
    const response = await fetch(`${app.url}/v1/pets`, { headers: { 'x-padding': 'x'.repeat(5000) } });
    const problem = await expectProblem(response, 431);
    expect(problem.type).toBe('/problems/request-header-fields-too-large');
    expect(problem.detail).toContain('4096');
  });

  it('answers a request line over MAX_HEADER_BYTES (a huge query) with 431 too', async () => {
    const response = await fetch(`${app.url}/v1/inventory/stream?petId=${'a'.repeat(5000)}`);
    await expectProblem(response, 431);
  });

  it('keeps headers under the limit working, and a body over 64 KiB a 413 problem', async () => {
    expect(
      (await fetch(`${app.url}/v1/pets?limit=1`, { headers: { 'x-padding': 'x'.repeat(3000) } })).status,
    ).toBe(200);
    const big = await fetch(`${app.url}/v1/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await staffBearer()) },
      body: JSON.stringify({ name: 'x'.repeat(70_000) }),
    });
    await expectProblem(big, 413);
  });
});

describe('retry jitter', () => {
  it("gives each stream its own retry: between SSE_RETRY_MS and 1.5 × it, so a redeploy's clients come back spread", async () => {
    const app = await startApp({ store, retryMs: 1000, retryJitter: 0.5 });
    try {
      const retries: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        const capture = await collectSse(
          (await fetch(`${app.url}/v1/inventory/stream`)).body!,
          (c) => c.retries.length > 0,
        );
        retries.push(capture.retries[0]!);
      }
      expect(Math.min(...retries)).toBeGreaterThanOrEqual(1000);
      expect(Math.max(...retries)).toBeLessThanOrEqual(1500);
      expect(new Set(retries).size).toBeGreaterThan(1);
    } finally {
      await app.close();
    }
  });
});
