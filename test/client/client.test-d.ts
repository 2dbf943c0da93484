import { describe, expectTypeOf, it } from 'vitest';
import type { OrderComplete, OrderStatusUpdate, StockChange } from '../../generated/models.js';
import type { components } from '../../generated/openapi.js';
import {
  type AccessToken,
  type ChannelMessage,
  type ChannelParams,
  type Client,
  createClient,
  type FetchResult,
  type PathsWithMethod,
  type Problem,
} from '../../packages/client/src/index.js';
import type { EventStreamState } from '../../packages/client/src/react/index.js';

type Schemas = components['schemas'];
declare const client: Client;
const petId = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';

describe('REST call types', () => {
  it('types data by the 2xx response and error as the problem body', async () => {
    const result = await client.GET('/v1/pets/{petId}', { params: { path: { petId } } });
    expectTypeOf(result).toEqualTypeOf<FetchResult<Schemas['Pet']>>();
    if (result.error) {
      expectTypeOf(result.error).toEqualTypeOf<Problem>();
      expectTypeOf(result.data).toEqualTypeOf<undefined>();
    } else {
      expectTypeOf(result.data).toEqualTypeOf<Schemas['Pet']>();
    }
    const created = await client.POST('/v1/orders', { body: { petId, quantity: 1, userId: 'user-456' } });
    expectTypeOf(created.data).toEqualTypeOf<Schemas['Order'] | undefined>();
  });

  it('offers only the paths that have the method, and no stream paths', () => {
    expectTypeOf<'/v1/orders'>().toExtend<PathsWithMethod<'post'>>();
    expectTypeOf<'/v1/orders'>().not.toExtend<PathsWithMethod<'get'>>();
    expectTypeOf<'/v1/inventory/stream'>().not.toExtend<PathsWithMethod<'get'>>();
    // @ts-expect-error no such path
    void client.GET('/v1/kittens');
    // @ts-expect-error POST /v1/pets/{petId} is not an operation
    void client.POST('/v1/pets/{petId}', { params: { path: { petId } }, body: {} });
    // @ts-expect-error streams are read with subscribe, not GET
    void client.GET('/v1/inventory/stream');
    expectTypeOf<'/v1/chat/completions'>().toExtend<PathsWithMethod<'post'>>();
  });

  it('requires the path parameters and types the query', () => {
    // @ts-expect-error the petId path parameter is required
    void client.GET('/v1/pets/{petId}');
    // @ts-expect-error the path parameter is petId, not id
    void client.GET('/v1/pets/{petId}', { params: { path: { id: petId } } });
    // @ts-expect-error species is an enum
    void client.GET('/v1/pets', { params: { query: { species: 'dragon' } } });
    void client.GET('/v1/pets');
    void client.GET('/v1/pets', { params: { query: { species: 'cat', limit: 5 } } });
  });

  it('requires a body of the right shape, and no body where there is none', () => {
    // @ts-expect-error the body is required
    void client.POST('/v1/orders', {});
    // @ts-expect-error quantity is a number
    void client.POST('/v1/orders', { body: { petId, quantity: '1', userId: 'user-456' } });
    // @ts-expect-error userId is missing
    void client.POST('/v1/orders', { body: { petId, quantity: 1 } });
    void client.PATCH('/v1/inventory/{petId}', {
      params: { path: { petId } },
      // @ts-expect-error an unknown field
      body: { stock: 1, colour: 'red' },
    });
    // @ts-expect-error GET takes no body
    void client.GET('/v1/inventory', { body: { stock: 1 } });
  });
});

describe('stream types', () => {
  it('types the params of each channel from the contract', () => {
    expectTypeOf<ChannelParams<'orderStatusStream'>>().toEqualTypeOf<{ orderId: string }>();
    expectTypeOf<ChannelParams<'recommendationsStream'>>().toEqualTypeOf<{
      userId: string;
      limit?: number;
    }>();
    expectTypeOf<ChannelParams<'inventoryStream'>>().toEqualTypeOf<{ petId?: string }>();
  });

  it('rejects wrong channel params and unknown channels', () => {
    // @ts-expect-error orderStatusStream needs an orderId
    void client.subscribe('orderStatusStream', {});
    // @ts-expect-error recommendationsStream needs a userId
    void client.subscribe('recommendationsStream', { limit: 3 });
    // @ts-expect-error limit is a number
    void client.subscribe('recommendationsStream', { userId: 'user-456', limit: '3' });
    // @ts-expect-error the inventory stream has no orderId
    void client.subscribe('inventoryStream', { orderId: 'x' });
    // @ts-expect-error resuming is an option, not a parameter
    void client.subscribe('inventoryStream', { lastEventId: '1' });
    // @ts-expect-error no such channel
    void client.subscribe('petsStream', {});
    // @ts-expect-error the chat stream is answered to a POST and cannot be resumed
    void client.subscribe('chatCompletionsStream', {});
  });

  it('narrows data by the event name', async () => {
    for await (const message of client.subscribe('inventoryStream', {})) {
      expectTypeOf(message).toEqualTypeOf<ChannelMessage<'inventoryStream'>>();
      expectTypeOf(message.event).toEqualTypeOf<'stock-change' | 'price-change' | 'reset' | 'stream-error'>();
      if (message.event === 'stock-change') expectTypeOf(message.data).toEqualTypeOf<StockChange>();
      if (message.event === 'price-change') {
        expectTypeOf(message.data.newPrice).toEqualTypeOf<number>();
        // @ts-expect-error a price change has no stock
        void message.data.newStock;
      }
      if (message.event === 'reset')
        expectTypeOf(message.data.reason).toEqualTypeOf<'unknown_id' | 'expired_id' | 'other_generation'>();
      expectTypeOf(message.id).toEqualTypeOf<string>();
    }
    for await (const message of client.subscribe('orderStatusStream', { orderId: petId })) {
      if (message.event === 'message') expectTypeOf(message.data).toEqualTypeOf<OrderStatusUpdate>();
      if (message.event === 'complete') expectTypeOf(message.data).toEqualTypeOf<OrderComplete>();
      // @ts-expect-error the order stream has no recommendation event
      if (message.event === 'recommendation') break;
    }
  });

  it('types the React hook state by channel', () => {
    expectTypeOf<EventStreamState<'recommendationsStream'>['last']>().toEqualTypeOf<
      ChannelMessage<'recommendationsStream'> | undefined
    >();
    expectTypeOf<EventStreamState<'inventoryStream'>['status']>().toEqualTypeOf<
      'connecting' | 'open' | 'reconnecting' | 'closed' | 'error'
    >();
  });
});

describe('access token types', () => {
  it('takes a token, or a function that returns one (or none), sync or async', () => {
    expectTypeOf<string>().toExtend<AccessToken>();
    expectTypeOf<() => Promise<string | undefined>>().toExtend<AccessToken>();
    expectTypeOf<() => string>().toExtend<AccessToken>();
    // @ts-expect-error a token is a string, not a number
    createClient({ baseUrl: '', token: 42 });
    // @ts-expect-error nor a function that returns something else
    createClient({ baseUrl: '', token: () => ({ token: 'x' }) });
  });

  it('types the stream tickets and dev tokens operations', async () => {
    const orderId = '0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607';
    const ticket = await client.POST('/v1/stream-tickets', { body: { orderId } });
    expectTypeOf(ticket.data).toEqualTypeOf<Schemas['StreamTicket'] | undefined>();
    const token = await client.POST('/v1/dev/tokens', { body: { userId: 'user-456' } });
    expectTypeOf(token.data).toEqualTypeOf<Schemas['DevToken'] | undefined>();
  });
});
