// A project that installed @petstore-sse/client from its tarball: typechecked with strict tsc and run with
// node by test/client/package.test.ts against a live server (its URL is the first argument).
import { type ChannelMessage, createClient, type Schemas, StreamHttpError } from '@petstore-sse/client';

const baseUrl = process.argv[2] ?? 'http://localhost:3000';
const USER = 'user-456';

const anonymous = createClient({ baseUrl });
const { data: issued, error: refused } = await anonymous.POST('/v1/dev/tokens', { body: { userId: USER } });
if (refused) throw new Error(`no demo token: ${refused.title}`);
const client = createClient({ baseUrl, token: issued.accessToken });

// A REST call, typed by the OpenAPI paths.
const { data: inventory } = await client.GET('/v1/inventory');
const item: Schemas['InventoryItem'] | undefined = inventory?.items.find((entry) => entry.stock >= 1);
if (!item) throw new Error('nothing in stock');
const { data: order, error } = await client.POST('/v1/orders', {
  body: { petId: item.petId, quantity: 1, userId: USER },
});
if (error) throw new Error(`order refused: ${error.title}`);

// A stream, left after its first event, then resumed from that event's id.
const statuses: string[] = [];
let firstId = '';
for await (const message of client.subscribe('orderStatusStream', { orderId: order.id })) {
  statuses.push(describe(message));
  firstId = message.id;
  break;
}
for await (const message of client.subscribe(
  'orderStatusStream',
  { orderId: order.id },
  { lastEventId: firstId },
)) {
  statuses.push(describe(message));
}

function describe(message: ChannelMessage<'orderStatusStream'>): string {
  switch (message.event) {
    case 'message':
      return message.data.status;
    case 'complete':
      return `complete:${message.data.status}`;
    default:
      return message.event;
  }
}

// A refused stream is an error with the problem body.
let refusal = '';
try {
  for await (const _ of anonymous.subscribe('orderStatusStream', { orderId: 'not-an-order' })) break;
} catch (failure) {
  if (failure instanceof StreamHttpError) refusal = `${failure.status} ${failure.problem.title}`;
}

console.log(JSON.stringify({ orderStatus: order.status, statuses, refusal }));
