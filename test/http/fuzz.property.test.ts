import { request } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, eventValidators } from '../../generated/channels.js';
import type { ChannelId } from '../../generated/events.js';
import { Problem, type ValidateFunction } from '../../generated/validators/schemas.js';
import { isValidEventId } from '../../src/sse/index.js';
import type { Store } from '../../src/store/index.js';
import { accessToken, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { type SseCapture, sseRecorder } from '../helpers/collectSse.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

/** Runs per property: enough to find a 5xx or a broken frame in seconds, not minutes. */
const RUNS = 200;
/** A fixed seed keeps the suite deterministic; change it (or drop it locally) to explore other inputs. */
const SEED = 20_261_124;

let store: Store;
let app: StartedApp;
let petId: string;
let orderId: string;
/** Authorization header values: the owner's token (user-456), another user's, an expired and a forged one. */
const tokens: Record<'owner' | 'other' | 'expired' | 'forged', string> = {
  owner: '',
  other: '',
  expired: '',
  forged: '',
};
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  const pets = await store.pets.all();
  petId = pets.find((pet) => pet.stock > 0)!.id;
  // The owner is staff too, so catalog and inventory writes get past their scope check and reach the body.
  tokens.owner = `Bearer ${await accessToken('user-456', { scopes: STAFF_SCOPES })}`;
  tokens.other = `Bearer ${await accessToken('user-123')}`;
  tokens.expired = `Bearer ${await accessToken('user-456', { expiresIn: -60 })}`;
  tokens.forged = `Bearer ${await accessToken('user-456', { secret: 'x'.repeat(48) })}`;
  const order = await fetch(`${app.url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: tokens.owner },
    body: JSON.stringify({ petId, quantity: 1, userId: 'user-456' }),
  });
  orderId = ((await order.json()) as { id: string }).id;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** Characters that trip parsers of URLs, queries, JSON and SSE. */
const tricky = fc.constantFrom(
  '%',
  '%zz',
  '%00',
  '%0A',
  '%0D%0A',
  '&',
  '=',
  '+',
  '#',
  '..',
  '/',
  '\\',
  '"',
  "'",
  ' ',
);
const text = fc
  .array(
    fc.oneof(
      tricky.map(decodeURIComponentSafe),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(''));

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a malformed escape stays as typed: that is the point of it
  }
}

/** Query strings: known and unknown names, any values, percent-encoded or raw. */
const NAMES = [
  'userId',
  'limit',
  'offset',
  'species',
  'size',
  'petId',
  'lastEventId',
  'token',
  'ticket',
  'x',
];
const queryString = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...NAMES), text),
        fc.oneof(text, fc.constantFrom('user-456', '1', '-1', '1e3', '')),
      ),
      {
        maxLength: 4,
      },
    )
    .map((pairs) =>
      pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&'),
    ),
  fc.array(tricky, { maxLength: 6 }).map((parts) => parts.join('')),
);
/** Queries of the API's own parameters with mostly valid values, so requests get past validation too. */
const apiQuery = (required: 'userId' | 'none') =>
  fc
    .record(
      {
        userId: fc.constantFrom('user-456', 'user-123', 'user-456', 'nobody'),
        limit: fc.integer({ min: 0, max: 51 }).map(String),
        lastEventId: fc.oneof(fc.constantFrom('1', '0', '2', 'x'), fc.nat().map(String)),
      },
      { requiredKeys: required === 'userId' ? ['userId'] : [] },
    )
    .map((fields) => {
      const query = new URLSearchParams(fields);
      if (required === 'none') query.delete('userId');
      if (required === 'none') query.delete('limit');
      return query.toString();
    });

/** A path segment: an encoded arbitrary string, or raw escapes. */
const segment = (known: () => string) =>
  fc.oneof(
    fc.constant(0).map(() => known()),
    text.filter((value) => value !== '').map(encodeURIComponent),
    fc
      .array(tricky, { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('').replaceAll('/', '%2F').replaceAll('#', '%23')),
  );
/**
 * Credentials: mostly the owner's token, so requests reach past authentication; also none, another user's,
 * expired or forged tokens, and any printable header value.
 */
const authorization = fc.oneof(
  { arbitrary: fc.constant('owner' as const), weight: 6 },
  fc.constantFrom('none' as const, 'other' as const, 'expired' as const, 'forged' as const),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
);
const authHeaders = (credential: string): Record<string, string> => {
  if (credential === 'none') return {};
  const known = tokens[credential as keyof typeof tokens];
  return { authorization: known ?? `Bearer ${credential}` };
};
/** A Last-Event-ID header: what HTTP can carry (no CR, LF or NUL), valid ids included. */
const lastEventId = fc.option(
  fc.oneof(
    fc.constantFrom('0', '1', '4', '99999', '0193a5d0-0000-7000-8000-000000000001.1', 'a b', '1\t2'),
    fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((code) => code !== 0x7f)
        .map((code) => String.fromCharCode(code)),
      maxLength: 140,
    }),
  ),
  { nil: undefined },
);
/** JSON bodies: any JSON, objects with the API's field names, and text that is not JSON. */
const FIELDS = [
  'name',
  'species',
  'breed',
  'size',
  'ageMonths',
  'price',
  'stock',
  'petId',
  'quantity',
  'userId',
  'traits',
  'sizes',
  'maxPrice',
  'messages',
  'model',
  'stream',
];
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(fc.oneof(fc.constantFrom(...FIELDS), text), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
    .map((value) => JSON.stringify(value)),
  text,
);

/**
 * Reads a stream, then cancels it: a finite one (recommendations) to its end, an endless one up to its first
 * complete frames (what it replays at once, or only its `retry:`).
 */
async function readFrames(
  body: ReadableStream<Uint8Array>,
  toEnd: boolean,
): Promise<{ raw: string; capture: SseCapture }> {
  const recorder = sseRecorder();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let raw = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      raw += chunk;
      recorder.feed(chunk);
      if (!toEnd && raw.endsWith('\n\n')) break;
    }
  } finally {
    await reader.cancel();
  }
  return { raw, capture: recorder.capture };
}

/** Every frame is one the channel declares: a known event, a valid id, data that passes its schema. */
function expectDeclaredFrames(capture: SseCapture, channel: ChannelId): void {
  const meta = channels[channel];
  const validators = eventValidators[channel] as unknown as Record<string, ValidateFunction>;
  const unnamed: readonly string[] = ['message', ...meta.unnamedEvents];
  const raw: readonly string[] = meta.rawDataEvents;
  expect(capture.errors).toEqual([]);
  for (const frame of capture.events) {
    expect(isValidEventId(frame.id ?? ''), `id ${frame.id}`).toBe(true);
    const candidates =
      frame.event === undefined ? unnamed.filter((name) => name in validators) : [frame.event];
    const matches = candidates.some((name) => {
      const validate = validators[name];
      if (!validate || (frame.event !== undefined && unnamed.includes(name))) return false;
      if (raw.includes(name)) return validate(frame.data);
      try {
        return validate(JSON.parse(frame.data));
      } catch {
        return false;
      }
    });
    expect(matches, `${channel} frame ${JSON.stringify(frame)}`).toBe(true);
  }
}

/** Streams opened (200) per channel, so a test can tell the fuzzer reached past validation. */
const opened = new Map<ChannelId, number>();

/** No 5xx; a 4xx is a valid problem+json; a stream is well-formed. */
async function expectSound(response: Response, channel?: ChannelId): Promise<void> {
  expect(response.status, `${response.url}`).toBeLessThan(500);
  const type = response.headers.get('content-type') ?? '';
  if (response.status >= 400) {
    expect(type).toBe('application/problem+json');
    const problem: unknown = await response.json();
    expect(Problem(problem), JSON.stringify(Problem.errors)).toBe(true);
    return;
  }
  if (type.startsWith('text/event-stream')) {
    expect(channel).toBeDefined();
    opened.set(channel!, (opened.get(channel!) ?? 0) + 1);
    const { raw, capture } = await readFrames(response.body!, channel === 'recommendationsStream');
    expect(raw.startsWith('retry: ')).toBe(true);
    expectDeclaredFrames(capture, channel!);
    return;
  }
  await response.body?.cancel();
}

/**
 * A GET through node:http, as a fetch Response: fetch refuses header values that HTTP allows (empty, or with
 * spaces at the ends), and a fuzzer must be able to send those.
 */
function rawGet(path: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const get = request(`${app.url}${path}`, { headers, agent: false }, (answer) => {
      const copied = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        if (typeof value === 'string') copied.set(name, value);
      }
      const body = Readable.toWeb(answer) as ReadableStream<Uint8Array>;
      resolve(new Response(body, { status: answer.statusCode ?? 0, headers: copied }));
    });
    get.on('error', (error) => (get.destroyed ? undefined : reject(error)));
    get.end();
  });
}

const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });

describe('fuzzed requests against the real app', () => {
  it('never answer a stream request with a 5xx or a malformed or injected frame', async () => {
    const route = fc.oneof(
      fc.record({
        channel: fc.constant('inventoryStream' as const),
        path: fc.constant('/v1/inventory/stream'),
        query: fc.oneof(apiQuery('none'), queryString),
      }),
      fc.record({
        channel: fc.constant('recommendationsStream' as const),
        path: fc.constant('/v1/pets/recommendations/stream'),
        query: fc.oneof(apiQuery('userId'), apiQuery('userId'), queryString),
      }),
      fc.record({
        channel: fc.constant('orderStatusStream' as const),
        path: segment(() => orderId).map((id) => `/v1/orders/${id}/status/stream`),
        query: fc.oneof(apiQuery('none'), queryString),
      }),
    );
    await fc.assert(
      fc.asyncProperty(route, lastEventId, authorization, async ({ channel, path, query }, resume, who) => {
        const headers = { ...authHeaders(who), ...(resume === undefined ? {} : { 'last-event-id': resume }) };
        await expectSound(await rawGet(`${path}?${query}`, headers), channel);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    for (const channel of ['inventoryStream', 'recommendationsStream', 'orderStatusStream'] as const) {
      expect(opened.get(channel), `${channel} streams opened`).toBeGreaterThan(0);
    }
  });

  it('never answer a read with a 5xx, whatever the path id or query', async () => {
    const read = fc.oneof(
      queryString.map((query) => `/v1/pets?${query}`),
      queryString.map((query) => `/v1/inventory?${query}`),
      segment(() => petId).map((id) => `/v1/pets/${id}`),
      segment(() => orderId).map((id) => `/v1/orders/${id}`),
      segment(() => 'user-456').map((id) => `/v1/users/${id}`),
    );
    await fc.assert(
      fc.asyncProperty(read, authorization, async (path, who) => {
        await expectSound(await send('GET', path, undefined, authHeaders(who)));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('never answer a change with a 5xx, whatever the JSON body or path id', async () => {
    const write = fc.oneof(
      fc.constant(['POST', '/v1/pets'] as const),
      segment(() => petId).map((id) => ['PATCH', `/v1/pets/${id}`] as const),
      segment(() => petId).map((id) => ['PATCH', `/v1/inventory/${id}`] as const),
      fc.constant(['POST', '/v1/orders'] as const),
      fc.constant(['POST', '/v1/stream-tickets'] as const),
      fc.constant(['POST', '/v1/dev/tokens'] as const),
      segment(() => orderId).map((id) => ['POST', `/v1/orders/${id}/cancel`] as const),
      segment(() => 'user-456').map((id) => ['PUT', `/v1/users/${id}/preferences`] as const),
      segment(() => 'user-456').map((id) => ['POST', `/v1/users/${id}/likes`] as const),
      fc.constant(['POST', '/v1/chat/completions'] as const),
    );
    await fc.assert(
      fc.asyncProperty(write, jsonBody, authorization, async ([method, path], body, who) => {
        const channel = path === '/v1/chat/completions' ? ('chatCompletionsStream' as const) : undefined;
        await expectSound(await send(method, path, body, authHeaders(who)), channel);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
