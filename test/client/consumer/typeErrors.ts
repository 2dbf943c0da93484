// Mistakes a consumer of @petstore-sse/client must not be able to compile: each line below is an error.
import { createClient } from '@petstore-sse/client';

const client = createClient({ baseUrl: '' });

export async function mistakes(): Promise<void> {
  // @ts-expect-error: no such channel
  client.subscribe('petsStream', {});
  // @ts-expect-error: orderStatusStream needs its orderId
  client.subscribe('orderStatusStream', {});
  // @ts-expect-error: no such path
  await client.GET('/v1/kittens');
  // @ts-expect-error: an order needs its userId
  await client.POST('/v1/orders', { body: { petId: 'x', quantity: 1 } });
  for await (const message of client.subscribe('inventoryStream', {})) {
    if (message.event === 'stock-change') {
      // @ts-expect-error: a stock change has no price
      message.data.newPrice;
    }
  }
}
