import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChannelMessage,
  createClient,
  type FetchLike,
  type ReconnectInfo,
  StreamHttpError,
} from '../../packages/client/src/index.js';
import { accessToken } from '../helpers/accessTokens.js';
import { type OrderingApp, startOrderingApp } from '../helpers/orderingApp.js';
import type { StartedApp } from '../helpers/startApp.js';

let ordering: OrderingApp;
let app: StartedApp;
let petId: string;
beforeAll(async () => {
  ordering = await startOrderingApp({ retryMs: 100 });
  ({ app, petId } = ordering);
});
afterAll(() => ordering.close());

const place = () => ordering.place();
function recordingFetch(): { fetch: FetchLike; authorizations: (string | null)[] } {
  const authorizations: (string | null)[] = [];
  return {
    authorizations,
    fetch: (url, init) => {
      authorizations.push(new Headers(init.headers).get('authorization'));
      return fetch(url, init);
    },
  };
}

describe('createClient({ token })', () => {
  it('sends the token as Authorization: Bearer on REST calls and streams', async () => {
    const token = await accessToken('user-456');
    const { fetch: recording, authorizations } = recordingFetch();
    const client = createClient({ baseUrl: app.url, token, fetch: recording });
    const placed = await client.POST('/v1/orders', { body: { petId, quantity: 1, userId: 'user-456' } });
    expect(placed.response.status).toBe(201);
    await app.services.orders.cancel(placed.data!.id);
    const events: string[] = [];
    for await (const message of client.subscribe('orderStatusStream', { orderId: placed.data!.id }))
      events.push(message.event);
    expect(events).toEqual(['message', 'complete']);
    expect(authorizations).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
  });

  it('calls a token function before every request, so each gets a current token', async () => {
    let calls = 0;
    const client = createClient({
      baseUrl: app.url,
      token: async () => {
        calls += 1;
        return accessToken('user-456');
      },
    });
    const order = await place();
    for (let i = 0; i < 3; i++) {
      const { data } = await client.GET('/v1/orders/{orderId}', { params: { path: { orderId: order.id } } });
      expect(data?.id).toBe(order.id);
    }
    expect(calls).toBe(3);
  });

  it('gets the 401 problem without a token, and StreamHttpError from a stream', async () => {
    const client = createClient({ baseUrl: app.url });
    const order = await place();
    const { error, response } = await client.GET('/v1/orders/{orderId}', {
      params: { path: { orderId: order.id } },
    });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    const failure = await (async () => {
      for await (const _ of client.subscribe('orderStatusStream', { orderId: order.id })) break;
    })().catch((reason: unknown) => reason);
    expect(failure).toBeInstanceOf(StreamHttpError);
    expect((failure as StreamHttpError).status).toBe(401);
  });

  it('ends a stream with stream-error credential_expired when a fixed token expires', async () => {
    const order = await place();
    const client = createClient({ baseUrl: app.url, token: await accessToken('user-456', { expiresIn: 2 }) });
    const received: ChannelMessage<'orderStatusStream'>[] = [];
    for await (const message of client.subscribe('orderStatusStream', { orderId: order.id }))
      received.push(message);
    expect(received.map((message) => [message.event, message.id])).toEqual([
      ['message', '1'],
      ['stream-error', '1'],
    ]);
    expect(received[1]!.data).toMatchObject({ code: 'credential_expired' });
  });

  it('resumes with a fresh token from the token function when the credential expires, losing nothing', async () => {
    const order = await place();
    let tokens = 0;
    const client = createClient({
      baseUrl: app.url,
      token: () => {
        tokens += 1;
        return accessToken('user-456', { expiresIn: 2 });
      },
    });
    const reconnects: ReconnectInfo[] = [];
    let opens = 0;
    const received: ChannelMessage<'orderStatusStream'>[] = [];
    const stream = client.subscribe(
      'orderStatusStream',
      { orderId: order.id },
      {
        onReconnect: (info) => reconnects.push(info),
        onOpen: () => {
          opens += 1;
          // Move the order on once the client is back, so the events come to the new connection.
          if (opens === 2) void app.services.orders.cancel(order.id);
        },
      },
    );
    for await (const message of stream) received.push(message);
    expect(received.map((message) => [message.event, message.id])).toEqual([
      ['message', '1'],
      ['complete', '2'],
    ]);
    expect(reconnects).toEqual([{ delayMs: expect.any(Number), lastEventId: '1', error: undefined }]);
    expect(tokens).toBe(2);
  });
});
