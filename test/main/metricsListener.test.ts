import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { createTestDatabase } from '../helpers/testStore.js';

let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
let metricsUrl: string;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: database.url, METRICS_PORT: '0' });
  const listening = server.logs.find((line) => String(line.msg).includes('listening'));
  metricsUrl = String(listening?.metrics);
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own listener, on 127.0.0.1 by default', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('# TYPE');
  });

  it('takes /metrics off the API port: 404 problem+json there', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    await response.body?.cancel();
  });

  it('answers nothing but /metrics on the metrics listener', async () => {
    const response = await fetch(new URL('/v1/pets', metricsUrl));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    await response.body?.cancel();
  });
});
