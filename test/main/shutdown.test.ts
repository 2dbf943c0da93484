import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse, sseRecorder } from '../helpers/collectSse.js';
import { devStaffBearer } from '../helpers/devStaffToken.js';
import { type ServerProcess, spawnServer } from '../helpers/spawnServer.js';
import { until } from '../helpers/startApp.js';
import { createTestDatabase } from '../helpers/testStore.js';

let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
/** A staff token the server minted (it runs in dev mode): the inventory writes need `inventory:write`. */
let staff: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await spawnServer({
    DATABASE_URL: database.url,
    SSE_RETRY_MS: '1000',
    SHUTDOWN_SPREAD_MS: '1000',
  });
  staff = await devStaffBearer(server.url);
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

/** A PATCH whose body is sent in two parts: the request stays in flight until `finish()`. */
function slowPatch(
  url: string,
  body: string,
): { finish(): void; response: Promise<{ status: number; text: string }> } {
  const half = Math.floor(body.length / 2);
  const patch = request(url, {
    method: 'PATCH',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...staff },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    patch.on('error', reject);
    patch.on('response', (answer: IncomingMessage) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => {
        text += chunk;
      });
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text }));
    });
  });
  patch.write(body.slice(0, half));
  return { finish: () => patch.end(body.slice(half)), response };
}

const readiness = () =>
  fetch(`${server.url}/readyz`).then(
    (response) => response.status,
    () => 0, // not listening any more
  );

describe('SIGTERM', () => {
  it('turns readiness off, ends open streams with retry and shutting_down at their last id, lets REST finish, exits 0', async () => {
    const pets = (await (await fetch(`${server.url}/v1/pets?limit=1`)).json()) as {
      items: { id: string; price: number }[];
    };
    const pet = pets.items[0]!;

    const stream = await fetch(`${server.url}/v1/inventory/stream?petId=${pet.id}`);
    const recorder = sseRecorder();
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let streamEndedAt = 0;
    const streamDone = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        recorder.feed(decoder.decode(value, { stream: true }));
      }
      streamEndedAt = performance.now();
    })();
    const priced = await fetch(`${server.url}/v1/inventory/${pet.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...staff },
      body: JSON.stringify({ price: pet.price + 1 }),
    });
    expect(priced.status).toBe(200);
    await until(() => recorder.capture.events.length === 1);
    const lastId = recorder.capture.events[0]!.id!;

    const rest = slowPatch(`${server.url}/v1/inventory/${pet.id}`, JSON.stringify({ stock: 7 }));
    expect(await readiness()).toBe(200);

    const exited = server.kill('SIGTERM');
    await until(async () => (await readiness()) === 503);
    const notReadyAt = performance.now();

    const refused = await fetch(`${server.url}/v1/inventory/stream`, {
      headers: { 'last-event-id': lastId },
    });
    expect(refused.status).toBe(200);
    const refusal = await collectSse(refused.body!);
    expect(refusal.events.map((event) => [event.event, event.id])).toEqual([['stream-error', lastId]]);
    expect(JSON.parse(refusal.events[0]!.data).code).toBe('shutting_down');

    await streamDone;
    expect(notReadyAt).toBeLessThan(streamEndedAt);
    const { retries, events } = recorder.capture;
    expect(retries).toHaveLength(2);
    expect(retries[1]).toBeGreaterThanOrEqual(1000);
    expect(retries[1]).toBeLessThanOrEqual(1500);
    expect(events.map((event) => [event.event, event.id])).toEqual([
      ['price-change', lastId],
      ['stream-error', lastId],
    ]);
    expect(JSON.parse(events[1]!.data).code).toBe('shutting_down');

    rest.finish();
    const answer = await rest.response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ petId: pet.id, stock: 7 });
    expect(await exited).toBe(0);
    expect(server.logs.map((line) => line.msg)).toContain('shut down');
  });
});
