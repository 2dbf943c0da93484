import { once } from 'node:events';
import { constants } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffBearer, TEST_JWT_SECRET } from '../helpers/accessTokens.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { until } from '../helpers/startApp.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';
import { createTestDatabase } from '../helpers/testStore.js';
import {
  connectHttp2,
  http2Request,
  https1Request,
  openHttp2EventStream,
  slowHttp2Patch,
} from '../helpers/tlsClients.js';

let certificate: TestCertificate;
let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
let url: string;
beforeAll(async () => {
  [certificate, database] = await Promise.all([createTestCertificate(), createTestDatabase()]);
  server = await spawnServer({
    DATABASE_URL: database.url,
    TLS_CERT: certificate.certFile,
    TLS_KEY: certificate.keyFile,
    SSE_RETRY_MS: '1000',
    SHUTDOWN_SPREAD_MS: '1000',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });
  url = server.url.replace('http:', 'https:');
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
  await certificate?.remove();
});

/** `/readyz` over a new HTTP/1.1 TLS connection; 0 once the server no longer listens. */
const readiness = () =>
  https1Request(url, certificate.cert, 'GET', '/readyz').then(
    (answer) => answer.status,
    () => 0,
  );

describe('SIGTERM with TLS_CERT and TLS_KEY', () => {
  it('logs https and h2, ends HTTP/2 streams with shutting_down, sends GOAWAY, lets REST finish, exits 0', async () => {
    expect(server.logs).toContainEqual(
      expect.objectContaining({ protocols: ['h2', 'http/1.1'], msg: expect.stringContaining('https://') }),
    );
    const session = await connectHttp2(url, certificate.cert);
    const pets = JSON.parse((await http2Request(session, 'GET', '/v1/pets?limit=1')).text) as {
      items: { id: string; price: number }[];
    };
    const pet = pets.items[0]!;
    const stream = await openHttp2EventStream(session, `/v1/inventory/stream?petId=${pet.id}`);
    const staff = await staffBearer();
    const priced = await http2Request(session, 'PATCH', `/v1/inventory/${pet.id}`, {
      headers: staff,
      body: { price: pet.price + 1 },
    });
    expect(priced.status).toBe(200);
    await until(() => stream.capture.events.length === 1);
    const lastId = stream.capture.events[0]!.id!;
    const rest = slowHttp2Patch(session, `/v1/inventory/${pet.id}`, JSON.stringify({ stock: 7 }), staff);
    const goaway = once(session, 'goaway');

    const exited = server.kill('SIGTERM');
    await until(async () => (await readiness()) === 503);
    const refused = await openHttp2EventStream(session, '/v1/inventory/stream', { 'last-event-id': lastId });
    expect(refused.status).toBe(200);
    await refused.ended;
    expect(refused.capture.events.map((event) => [event.event, event.id])).toEqual([
      ['stream-error', lastId],
    ]);

    await stream.ended;
    expect(stream.capture.events.map((event) => [event.event, event.id])).toEqual([
      ['price-change', lastId],
      ['stream-error', lastId],
    ]);
    expect(JSON.parse(stream.capture.events[1]!.data).code).toBe('shutting_down');
    const [code] = (await goaway) as [number];
    expect(code).toBe(constants.NGHTTP2_NO_ERROR);

    rest.finish();
    const answer = await rest.answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ petId: pet.id, stock: 7 });
    expect(await exited).toBe(0);
    expect(server.logs.map((line) => line.msg)).toContain('shut down');
  });
});
