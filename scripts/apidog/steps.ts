/**
 * The Apidog scenario, in the order it runs against one live server: each step is one request of an OpenAPI
 * operation with the status it must get. Values in `{{name}}` are variables saved by earlier steps (`save`).
 */
export interface Step {
  operationId: string;
  /** What the step shows, e.g. `unknown pet`. */
  name: string;
  status: number;
  path?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Send `Authorization: Bearer {{token}}` (user-456's demo token). */
  auth?: boolean;
  /** Send `Authorization: Bearer {{staffToken}}` (a demo token with both staff scopes), for catalog and inventory writes. */
  staff?: boolean;
  headers?: Record<string, string>;
  /** Variables to save from the JSON answer: name → JS expression over `body`. */
  save?: Record<string, string>;
  /** For a stream: a regular expression the event names, joined by spaces, must match. */
  events?: string;
  /** Extra assertions: JS expressions over `body` (JSON) or `frames` (a stream) that must be true. */
  checks?: string[];
}

const NO_SUCH_ID = '01890000-0000-7000-8000-000000000000';
const USER = 'user-456';
const ask = (stream: boolean) => ({
  model: 'PET_ADVISOR_TURBO',
  stream,
  messages: [{ role: 'user', content: 'What is in stock?' }],
});

export const STEPS: Step[] = [
  { operationId: 'getHealth', name: 'the server is up', status: 200 },
  { operationId: 'getReadiness', name: 'the server is ready', status: 200 },
  { operationId: 'getMetrics', name: 'Prometheus metrics', status: 200 },
  {
    operationId: 'createDevToken',
    name: 'a demo token for user-456',
    status: 201,
    body: { userId: USER },
    save: { token: 'body.accessToken' },
  },
  {
    operationId: 'createDevToken',
    name: 'a staff token (catalog:write, inventory:write)',
    status: 201,
    body: { userId: USER, scopes: ['catalog:write', 'inventory:write'] },
    save: { staffToken: 'body.accessToken' },
    checks: ["body.scopes.join(' ') === 'catalog:write inventory:write'"],
  },
  {
    operationId: 'createDevToken',
    name: 'an unknown scope',
    status: 400,
    body: { userId: USER, scopes: ['admin'] },
  },
  { operationId: 'createDevToken', name: 'no userId', status: 400, body: {} },
  { operationId: 'createDevToken', name: 'an unknown user', status: 404, body: { userId: 'nobody-here' } },
  {
    operationId: 'listPets',
    name: 'the first cats',
    status: 200,
    query: { species: 'cat', limit: 5 },
    save: { catId: 'body.items[0].id' },
    checks: ["body.items.every((pet) => pet.species === 'cat')"],
  },
  { operationId: 'listPets', name: 'a limit of 0', status: 400, query: { limit: 0 } },
  {
    operationId: 'getPet',
    name: 'a pet by id',
    status: 200,
    path: { petId: '{{catId}}' },
    checks: ["body.id === pm.environment.get('catId')"],
  },
  { operationId: 'getPet', name: 'an unknown pet', status: 404, path: { petId: NO_SUCH_ID } },
  { operationId: 'getPet', name: 'an id that is not a UUID', status: 400, path: { petId: 'not-a-uuid' } },
  {
    operationId: 'createPet',
    name: 'a new pet',
    status: 201,
    staff: true,
    body: {
      name: 'Apidog',
      species: 'dog',
      breed: 'Beagle',
      size: 'medium',
      ageMonths: 8,
      price: 120,
      stock: 3,
    },
    save: { petId: 'body.id' },
  },
  {
    operationId: 'createPet',
    name: 'a pet without a name',
    status: 400,
    staff: true,
    body: { species: 'dog' },
  },
  {
    operationId: 'updatePet',
    name: 'a new description',
    status: 200,
    staff: true,
    path: { petId: '{{petId}}' },
    body: { description: 'Tested by Apidog.' },
    checks: ["body.description === 'Tested by Apidog.'"],
  },
  {
    operationId: 'updatePet',
    name: 'an unknown pet',
    status: 404,
    staff: true,
    path: { petId: NO_SUCH_ID },
    body: { description: 'x' },
  },
  {
    operationId: 'updatePet',
    name: 'a negative age',
    status: 400,
    staff: true,
    path: { petId: '{{petId}}' },
    body: { ageMonths: -1 },
  },
  { operationId: 'listInventory', name: 'stock and prices', status: 200, checks: ['body.items.length > 0'] },
  {
    operationId: 'updateInventory',
    name: 'stock of 5',
    status: 200,
    staff: true,
    path: { petId: '{{petId}}' },
    body: { stock: 5 },
    checks: ['body.stock === 5'],
  },
  {
    operationId: 'createPet',
    name: 'without a token',
    status: 401,
    body: { name: 'Nobody', species: 'dog' },
  },
  {
    operationId: 'updatePet',
    name: 'without a token',
    status: 401,
    path: { petId: '{{petId}}' },
    body: { description: 'x' },
  },
  {
    operationId: 'updatePet',
    name: 'a token without catalog:write',
    status: 403,
    auth: true,
    path: { petId: '{{petId}}' },
    body: { description: 'x' },
    checks: ["body.detail.includes('catalog:write')"],
  },
  {
    operationId: 'updateInventory',
    name: 'without a token',
    status: 401,
    path: { petId: '{{petId}}' },
    body: { stock: 4 },
  },
  {
    operationId: 'updateInventory',
    name: 'a token without inventory:write',
    status: 403,
    auth: true,
    path: { petId: '{{petId}}' },
    body: { stock: 4 },
    checks: ["body.detail.includes('inventory:write')"],
  },
  {
    operationId: 'createPet',
    name: 'a token without catalog:write',
    status: 403,
    auth: true,
    body: {
      name: 'Nobody',
      species: 'dog',
      breed: 'Beagle',
      size: 'medium',
      ageMonths: 8,
      price: 1,
      stock: 1,
    },
  },
  {
    operationId: 'updateInventory',
    name: 'an unknown pet',
    status: 404,
    staff: true,
    path: { petId: NO_SUCH_ID },
    body: { stock: 1 },
  },
  {
    operationId: 'updateInventory',
    name: 'a negative stock',
    status: 400,
    staff: true,
    path: { petId: '{{petId}}' },
    body: { stock: -1 },
  },
  {
    operationId: 'createOrder',
    name: 'an order for user-456',
    status: 201,
    auth: true,
    body: { petId: '{{petId}}', quantity: 1, userId: USER },
    save: { orderId: 'body.id' },
  },
  {
    operationId: 'createOrder',
    name: 'without a token',
    status: 401,
    body: { petId: '{{petId}}', quantity: 1, userId: USER },
  },
  {
    operationId: 'createOrder',
    name: 'for another user',
    status: 403,
    auth: true,
    body: { petId: '{{petId}}', quantity: 1, userId: 'user-123' },
  },
  {
    operationId: 'createOrder',
    name: 'an unknown pet',
    status: 404,
    auth: true,
    body: { petId: NO_SUCH_ID, quantity: 1, userId: USER },
  },
  {
    operationId: 'createOrder',
    name: 'more than is in stock',
    status: 409,
    auth: true,
    body: { petId: '{{petId}}', quantity: 10, userId: USER },
  },
  {
    operationId: 'createOrder',
    name: 'no quantity',
    status: 400,
    auth: true,
    body: { petId: '{{petId}}', userId: USER },
  },
  { operationId: 'getOrder', name: 'the order', status: 200, auth: true, path: { orderId: '{{orderId}}' } },
  { operationId: 'getOrder', name: 'without a token', status: 401, path: { orderId: '{{orderId}}' } },
  {
    operationId: 'getOrder',
    name: 'an unknown order',
    status: 404,
    auth: true,
    path: { orderId: NO_SUCH_ID },
  },
  {
    operationId: 'getOrder',
    name: 'an id that is not a UUID',
    status: 400,
    auth: true,
    path: { orderId: 'x' },
  },
  {
    operationId: 'streamOrderStatus',
    name: 'the order from payment to shipped',
    status: 200,
    auth: true,
    path: { orderId: '{{orderId}}' },
    events: '^message message message complete$',
    checks: [
      "frames.map((f) => f.data.status).join(' ') === 'payment_processing payment_confirmed preparing_shipment shipped'",
      "pm.environment.set('lastOrderEvent', frames[frames.length - 1].id) || true",
    ],
  },
  {
    operationId: 'streamOrderStatus',
    name: 'resumed after its last event: finished',
    status: 204,
    auth: true,
    path: { orderId: '{{orderId}}' },
    headers: { 'last-event-id': '{{lastOrderEvent}}' },
  },
  {
    operationId: 'streamOrderStatus',
    name: 'without a token',
    status: 401,
    path: { orderId: '{{orderId}}' },
  },
  {
    operationId: 'streamOrderStatus',
    name: 'an unknown order',
    status: 404,
    auth: true,
    path: { orderId: NO_SUCH_ID },
  },
  {
    operationId: 'streamOrderStatus',
    name: 'an id that is not a UUID',
    status: 400,
    auth: true,
    path: { orderId: 'x' },
  },
  {
    operationId: 'cancelOrder',
    name: 'a shipped order',
    status: 409,
    auth: true,
    path: { orderId: '{{orderId}}' },
  },
  {
    operationId: 'createOrder',
    name: 'a second order, to cancel',
    status: 201,
    auth: true,
    body: { petId: '{{petId}}', quantity: 1, userId: USER },
    save: { secondOrderId: 'body.id' },
  },
  {
    operationId: 'cancelOrder',
    name: 'the second order',
    status: 200,
    auth: true,
    path: { orderId: '{{secondOrderId}}' },
    checks: ["body.status === 'cancelled'"],
  },
  {
    operationId: 'cancelOrder',
    name: 'without a token',
    status: 401,
    path: { orderId: '{{secondOrderId}}' },
  },
  {
    operationId: 'cancelOrder',
    name: 'an unknown order',
    status: 404,
    auth: true,
    path: { orderId: NO_SUCH_ID },
  },
  {
    operationId: 'cancelOrder',
    name: 'an id that is not a UUID',
    status: 400,
    auth: true,
    path: { orderId: 'x' },
  },
  {
    operationId: 'streamOrderStatus',
    name: 'a cancelled order completes as cancelled',
    status: 200,
    auth: true,
    path: { orderId: '{{secondOrderId}}' },
    events: '^(message )*complete$',
    checks: ["frames[frames.length - 1].data.status === 'cancelled'"],
  },
  {
    operationId: 'createStreamTicket',
    name: 'a ticket for the order stream',
    status: 201,
    auth: true,
    body: { orderId: '{{orderId}}' },
  },
  {
    operationId: 'createStreamTicket',
    name: 'without a token',
    status: 401,
    body: { orderId: '{{orderId}}' },
  },
  {
    operationId: 'createStreamTicket',
    name: 'an unknown order',
    status: 404,
    auth: true,
    body: { orderId: NO_SUCH_ID },
  },
  { operationId: 'createStreamTicket', name: 'no orderId', status: 400, auth: true, body: {} },
  { operationId: 'getUser', name: 'user-456', status: 200, auth: true, path: { userId: USER } },
  { operationId: 'getUser', name: 'without a token', status: 401, path: { userId: USER } },
  { operationId: 'getUser', name: 'another user', status: 404, auth: true, path: { userId: 'user-123' } },
  { operationId: 'getUser', name: 'an id with a space', status: 400, auth: true, path: { userId: 'a b' } },
  {
    operationId: 'putPreferences',
    name: 'cats, small or medium',
    status: 200,
    auth: true,
    path: { userId: USER },
    body: { species: ['cat'], sizes: ['small', 'medium'] },
  },
  {
    operationId: 'putPreferences',
    name: 'without a token',
    status: 401,
    path: { userId: USER },
    body: { species: ['cat'] },
  },
  {
    operationId: 'putPreferences',
    name: 'another user',
    status: 404,
    auth: true,
    path: { userId: 'user-123' },
    body: { species: ['cat'] },
  },
  {
    operationId: 'putPreferences',
    name: 'an unknown species',
    status: 400,
    auth: true,
    path: { userId: USER },
    body: { species: ['dragon'] },
  },
  {
    operationId: 'likePet',
    name: 'a cat',
    status: 200,
    auth: true,
    path: { userId: USER },
    body: { petId: '{{catId}}' },
  },
  {
    operationId: 'likePet',
    name: 'without a token',
    status: 401,
    path: { userId: USER },
    body: { petId: '{{catId}}' },
  },
  {
    operationId: 'likePet',
    name: 'an unknown pet',
    status: 404,
    auth: true,
    path: { userId: USER },
    body: { petId: NO_SUCH_ID },
  },
  { operationId: 'likePet', name: 'no petId', status: 400, auth: true, path: { userId: USER }, body: {} },
  {
    operationId: 'streamRecommendations',
    name: 'three recommendations, then complete',
    status: 200,
    query: { userId: USER, limit: 3 },
    events: '^recommendation recommendation recommendation complete$',
    checks: ['frames[3].data.total === 3'],
  },
  { operationId: 'streamRecommendations', name: 'no userId', status: 400 },
  {
    operationId: 'streamRecommendations',
    name: 'an unknown user',
    status: 404,
    query: { userId: 'nobody-here' },
  },
  { operationId: 'streamInventory', name: 'a petId that is not a UUID', status: 400, query: { petId: 'x' } },
  {
    operationId: 'createChatCompletion',
    name: 'an answer in one piece',
    status: 200,
    body: ask(false),
    checks: ["body.object === 'chat.completion'"],
  },
  {
    operationId: 'createChatCompletion',
    name: 'an answer streamed chunk by chunk',
    status: 200,
    body: ask(true),
    events: '^(message )+message$',
    checks: [
      "frames[frames.length - 1].data === '[DONE]'",
      "frames.slice(0, -1).every((f) => f.data.object === 'chat.completion.chunk')",
    ],
  },
  { operationId: 'createChatCompletion', name: 'no messages', status: 400, body: { model: 'PET_ADVISOR_1' } },
];

/** Statuses an operation declares that the scenario does not produce, and why. */
const IN_FLIGHT =
  'idempotency_key_in_flight needs two requests with one key at once; apidog-cli runs its steps one after another (test/http/idempotencyKeys.test.ts covers it)';

export const NOT_RUN: Record<string, Record<number, string>> = {
  streamInventory: {
    200: 'endless: apidog-cli reads a response to its end, so it would time out (ESOCKETTIMEDOUT)',
  },
  listInventory: { 400: 'it has no parameter or body to get wrong' },
  streamRecommendations: {
    204: 'a finished recommendations run is resumed in the order status step instead',
  },
  createChatCompletion: { 502: 'needs CHAT_UPSTREAM_URL pointing at an upstream that fails' },
  getReadiness: { 503: 'only while the server shuts down' },
  getMetrics: {
    404: 'only with METRICS_PORT set (metrics on their own port); the scenario runs the default, /metrics on the API port',
  },
  createPet: { 409: IN_FLIGHT },
  updatePet: { 409: IN_FLIGHT },
  updateInventory: { 409: IN_FLIGHT },
  likePet: { 409: IN_FLIGHT },
};
