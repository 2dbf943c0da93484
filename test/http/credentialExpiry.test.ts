import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventValidators } from '../../generated/channels.js';
import { accessToken, bearer } from '../helpers/accessTokens.js';
import { collectSse, type SseCapture } from '../helpers/collectSse.js';
import { type OrderingApp, startOrderingApp } from '../helpers/orderingApp.js';
import { restClient } from '../helpers/restClient.js';
import { type StartedApp, until } from '../helpers/startApp.js';

let ordering: OrderingApp;
let app: StartedApp;
beforeAll(async () => {
  ordering = await startOrderingApp();
  ({ app } = ordering);
});
afterAll(() => ordering.close());

const place = () => ordering.place();
const streamUrl = (orderId: string, query = '') => `${app.url}/v1/orders/${orderId}/status/stream${query}`;
/** When a token expires, in epoch ms. */
const expiryOf = (token: string) => decodeJwt(token).exp! * 1000;
const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** Reads a stream to its end, noting when its last frame arrived. */
async function readToEnd(response: Response): Promise<{ capture: SseCapture; lastAt: number }> {
  let lastAt = 0;
  const capture = await collectSse(response.body!, () => {
    lastAt = Date.now();
    return false;
  });
  return { capture, lastAt };
}

function expectCredentialExpired(capture: SseCapture, lastId: string): void {
  const last = capture.events.at(-1)!;
  expect([last.event, last.id]).toEqual(['stream-error', lastId]);
  const data: unknown = JSON.parse(last.data);
  expect(eventValidators.orderStatusStream['stream-error'](data)).toBe(true);
  expect(data).toMatchObject({ code: 'credential_expired' });
}

describe('a stream whose credential expires', () => {
  it('ends with stream-error credential_expired at its last id when the bearer token expires', async () => {
    const order = await place();
    const token = await accessToken('user-456', { expiresIn: 2 });
    const response = await fetch(streamUrl(order.id), { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const { capture, lastAt } = await readToEnd(response);
    expect(capture.events.map((event) => event.id)).toEqual(['1', '1']);
    expectCredentialExpired(capture, '1');
    expect(lastAt).toBeGreaterThanOrEqual(expiryOf(token) - 20);
    await until(() => app.openStreams.size === 0 && app.heartbeat.size === 0);
  });

  it('resumes after the last id with a fresh token, losing and repeating nothing', async () => {
    const order = await place();
    const token = await accessToken('user-456', { expiresIn: 2 });
    const first = await fetch(streamUrl(order.id), { headers: { authorization: `Bearer ${token}` } });
    const { capture } = await readToEnd(first);
    await app.services.orders.advance(order.id, 'payment_confirmed');
    const lastId = capture.events.at(-1)!.id!;
    const resumed = await fetch(streamUrl(order.id), {
      headers: { ...(await bearer('user-456')), 'last-event-id': lastId },
    });
    const rest = collectSse(resumed.body!);
    await app.services.orders.cancel(order.id);
    expect((await rest).events.map((event) => [event.id, event.event])).toEqual([
      ['2', undefined],
      ['3', 'complete'],
    ]);
  });

  it('ends a stream opened with a ticket when the token the ticket came from expires', async () => {
    const order = await place();
    const headers = await bearer('user-456', { expiresIn: 2 });
    const token = headers.authorization!.slice('Bearer '.length);
    const issued = await restClient(app.url)('POST', '/v1/stream-tickets', { orderId: order.id }, headers);
    const { ticket } = (await issued.json()) as { ticket: string };
    const { capture, lastAt } = await readToEnd(await fetch(streamUrl(order.id, `?ticket=${ticket}`)));
    expectCredentialExpired(capture, '1');
    expect(lastAt).toBeGreaterThanOrEqual(expiryOf(token) - 20);
  });

  it('keeps the expiry at the client resume id when nothing was sent since', async () => {
    const order = await place();
    const token = await accessToken('user-456', { expiresIn: 2 });
    const response = await fetch(streamUrl(order.id), {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': '1' },
    });
    const { capture } = await readToEnd(response);
    expect(capture.events.map((event) => [event.event, event.id])).toEqual([['stream-error', '1']]);
  });
});

describe('the expiry timer', () => {
  it('is released when the client closes the stream before its credential expires', async () => {
    const headers = await bearer('user-456', { expiresIn: 3600 });
    const controller = new AbortController();
    const orders = await Promise.all(Array.from({ length: 5 }, place));
    const before = activeTimers();
    await Promise.all(
      orders.map((order) => fetch(streamUrl(order.id), { headers, signal: controller.signal })),
    );
    await until(() => app.openStreams.size === 5);
    const open = activeTimers();
    expect(open).toBeGreaterThanOrEqual(before + 4);
    controller.abort();
    await until(() => app.openStreams.size === 0);
    // One expiry timer per stream, and nothing else here is timed by the stream (the heartbeat is unref'd).
    await until(() => activeTimers() <= open - 5);
  });
});
