import { createHash, randomBytes } from 'node:crypto';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, uuidv7 } from '../../src/store/index.js';
import { bearer } from '../helpers/accessTokens.js';
import { collectSse } from '../helpers/collectSse.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { type OrderingApp, startOrderingApp } from '../helpers/orderingApp.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, until } from '../helpers/startApp.js';

let ordering: OrderingApp;
let app: StartedApp;
let store: Store;
let owner: Send;
beforeAll(async () => {
  ordering = await startOrderingApp({ retryMs: 200 });
  ({ app, store } = ordering);
  owner = restClient(app.url, 'user-456');
});
afterAll(() => ordering.close());

const place = () => ordering.place();
async function ticketFor(orderId: string, send: Send = owner): Promise<string> {
  const response = await send('POST', '/v1/stream-tickets', { orderId });
  return (await expectMatchesSpec('createStreamTicket', response, 201)).ticket;
}
const streamUrl = (orderId: string, query: string) =>
  `${app.url}/v1/orders/${orderId}/status/stream?${query}`;
const withTicket = (orderId: string, ticket: string, init: RequestInit = {}) =>
  fetch(streamUrl(orderId, `ticket=${ticket}`), init);

async function expectRefusedTicket(response: Response): Promise<void> {
  expect(response.headers.get('www-authenticate')).toMatch(
    /^Bearer realm="petstore-sse", error="invalid_token"/,
  );
  const problem = await expectMatchesSpec('streamOrderStatus', response, 401);
  expect(problem.type).toBe('/problems/unauthorized');
}

describe('POST /v1/stream-tickets', () => {
  it('issues an unguessable ticket valid for 30 s, never to be cached', async () => {
    const order = await place();
    const before = Date.now();
    const response = await owner('POST', '/v1/stream-tickets', { orderId: order.id });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const issued = await expectMatchesSpec('createStreamTicket', response, 201);
    expect(issued.ticket).toMatch(/^st_[A-Za-z0-9_-]{43}$/);
    expect(issued.expiresIn).toBe(30);
    expect(Date.parse(issued.expiresAt) - before).toBeGreaterThanOrEqual(29_000);
    expect(Date.parse(issued.expiresAt) - before).toBeLessThanOrEqual(31_000);
    expect(await ticketFor(order.id)).not.toBe(issued.ticket);
  });

  it('never lets a ticket outlive the access token it was issued from', async () => {
    const order = await place();
    const shortLived = restClient(app.url, 'user-456');
    const headers = await bearer('user-456', { expiresIn: 5 });
    const response = await shortLived('POST', '/v1/stream-tickets', { orderId: order.id }, headers);
    const issued = await expectMatchesSpec('createStreamTicket', response, 201);
    expect(issued.expiresIn).toBeLessThanOrEqual(5);
  });

  it('keeps only a hash of the ticket in the database', async () => {
    const ticket = await ticketFor((await place()).id);
    const rows = await store.db.query<{ ticket_hash: string }>('SELECT ticket_hash FROM stream_tickets');
    const hashes = rows.map((row) => row.ticket_hash);
    expect(hashes).toContain(createHash('sha256').update(ticket).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(ticket.slice(3));
  });

  it('answers 404 for an order no one has, and 400 for a body without an order id', async () => {
    const unknown = await owner('POST', '/v1/stream-tickets', { orderId: uuidv7() });
    await expectMatchesSpec('createStreamTicket', unknown, 404);
    const invalid = await owner('POST', '/v1/stream-tickets', { order: 'x' });
    await expectMatchesSpec('createStreamTicket', invalid, 400);
  });
});

describe('a stream ticket', () => {
  it('opens the order status stream once for an EventSource, whose automatic reconnect is then refused', async () => {
    const order = await place();
    const source = new EventSource(streamUrl(order.id, `ticket=${await ticketFor(order.id)}`));
    const seen: string[] = [];
    const closedForGood = new Promise<void>((resolve) => {
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) resolve();
      });
    });
    const first = new Promise<void>((resolve) =>
      source.addEventListener('message', (event) => {
        seen.push(`${event.lastEventId} ${JSON.parse(event.data).status}`);
        resolve();
      }),
    );
    source.addEventListener('complete', (event) => seen.push(`${event.lastEventId} complete`));
    await first;
    await app.services.orders.cancel(order.id);
    await closedForGood;
    expect(seen).toEqual(['1 payment_processing', '2 complete']);
  });

  it('is not used up by a HEAD of the stream, which answers the stream headers only', async () => {
    const order = await place();
    const ticket = await ticketFor(order.id);
    const head = await withTicket(order.id, ticket, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const controller = new AbortController();
    const stream = await withTicket(order.id, ticket, { signal: controller.signal });
    expect(stream.status).toBe(200);
    controller.abort();
  });

  it('is refused with 401 invalid_token on its second use', async () => {
    const order = await place();
    const ticket = await ticketFor(order.id);
    const controller = new AbortController();
    const first = await withTicket(order.id, ticket, { signal: controller.signal });
    expect(first.status).toBe(200);
    controller.abort();
    await expectRefusedTicket(await withTicket(order.id, ticket));
  });

  it('opens exactly one stream when several requests use it at the same moment', async () => {
    const order = await place();
    const ticket = await ticketFor(order.id);
    const controller = new AbortController();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => withTicket(order.id, ticket, { signal: controller.signal })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    controller.abort();
  });

  it('is refused with 401 once expired', async () => {
    const order = await place();
    const issuedAt = new Date(Date.now() - 10 * 60_000);
    const { ticket } = await app.services.streamTickets.issue(
      { userId: 'user-456', orderId: order.id, credentialExpiresAt: new Date(Date.now() + 3_600_000) },
      { now: issuedAt },
    );
    await expectRefusedTicket(await withTicket(order.id, ticket));
  });

  it('is refused with 401 on the stream of another order, and is used up by it', async () => {
    const [order, other] = [await place(), await place()];
    const ticket = await ticketFor(order.id);
    await expectRefusedTicket(await withTicket(other.id, ticket));
    await expectRefusedTicket(await withTicket(order.id, ticket));
  });

  it.each([
    ['an unknown ticket', `st_${randomBytes(32).toString('base64url')}`],
    ['a malformed ticket', 'abc'],
    ['an empty ticket', ''],
  ])('refuses %s with 401', async (_case, ticket) => {
    await expectRefusedTicket(await withTicket((await place()).id, ticket));
  });

  it('is refused with 400 invalid_request when a bearer token comes with it, and is not used up', async () => {
    const order = await place();
    const ticket = await ticketFor(order.id);
    const both = await withTicket(order.id, ticket, { headers: await bearer('user-456') });
    expect(both.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    await expectMatchesSpec('streamOrderStatus', both, 400);
    const alone = await withTicket(order.id, ticket);
    expect(alone.status).toBe(200);
    await alone.body?.cancel();
  });

  it('resumes after ?lastEventId= on a first connect', async () => {
    const order = await place();
    await app.services.orders.advance(order.id, 'payment_confirmed');
    await app.services.orders.cancel(order.id);
    const response = await fetch(streamUrl(order.id, `ticket=${await ticketFor(order.id)}&lastEventId=1`));
    const capture = await collectSse(response.body!);
    expect(capture.events.map((event) => event.id)).toEqual(['2', '3']);
  });

  it('never appears in the logs, only as [redacted]', async () => {
    const order = await place();
    const ticket = await ticketFor(order.id);
    await (await withTicket(order.id, ticket)).body?.cancel();
    await withTicket(order.id, ticket);
    await until(() => JSON.stringify(app.logs).includes(`/v1/orders/${order.id}/status/stream`));
    const logged = JSON.stringify(app.logs);
    expect(logged).toContain('ticket=[redacted]');
    expect(logged).not.toContain(ticket);
    expect(logged).not.toContain(ticket.slice(3));
  });
});
