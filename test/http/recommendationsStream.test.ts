import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventValidators } from '../../generated/channels.js';
import type { Recommendation } from '../../generated/models.js';
import type { Recommender } from '../../src/domain/recommendations/index.js';
import type { Store } from '../../src/store/index.js';
import { collectSse, type SseCapture } from '../helpers/collectSse.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';

let store: Store;
let app: StartedApp;
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store, heartbeatMs: 60_000 });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const path = '/v1/pets/recommendations/stream';
const stream = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}?${query}`, { headers });

function expectValidFrames(capture: SseCapture): void {
  for (const event of capture.events) {
    const validate =
      eventValidators.recommendationsStream[event.event as 'recommendation' | 'complete' | 'reset'];
    expect(validate, `undeclared event ${event.event}`).toBeDefined();
    expect(validate(JSON.parse(event.data)), JSON.stringify(validate.errors)).toBe(true);
  }
}

describe('GET /v1/pets/recommendations/stream', () => {
  it('streams recommendations best first, then one complete with the total and measured time, then ends', async () => {
    const response = await stream('userId=user-456&limit=5');
    expect(response.status).toBe(200);
    const capture = await collectSse(response.body!);
    expect(capture.retries).toEqual([1500]);
    expectValidFrames(capture);
    const names = capture.events.map((event) => event.event);
    expect(names).toEqual([
      'recommendation',
      'recommendation',
      'recommendation',
      'recommendation',
      'recommendation',
      'complete',
    ]);
    const recommendations = capture.events
      .slice(0, -1)
      .map((event) => JSON.parse(event.data) as Recommendation);
    const scores = recommendations.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(recommendations.map((r) => r.petId)).size).toBe(5);
    const complete = JSON.parse(capture.events.at(-1)!.data);
    expect(complete.total).toBe(5);
    expect(complete.processingTime).toBeGreaterThan(0);
    const ids = capture.events.map((event) => event.id);
    const runId = ids[0]!.split('.')[0];
    expect(ids).toEqual([1, 2, 3, 4, 5].map((n) => `${runId}.${n}`).concat(`${runId}.complete`));
  });

  it('explains each recommendation by what matched the user', async () => {
    const user = await app.services.users.get('user-456');
    expect(user.preferences.species).toEqual(['cat']);
    const capture = await collectSse((await stream('userId=user-456&limit=3')).body!);
    const first = JSON.parse(capture.events[0]!.data) as Recommendation;
    expect(first.reason).toContain('Matches your preference for cats');
    const pet = await app.services.pets.get(first.petId);
    expect(pet.species).toBe('cat');
    expect(user.likedPetIds).not.toContain(first.petId);
  });

  it('defaults to 10 recommendations', async () => {
    const capture = await collectSse((await stream('userId=user-123')).body!);
    expect(capture.events.filter((event) => event.event === 'recommendation')).toHaveLength(10);
    expect(JSON.parse(capture.events.at(-1)!.data).total).toBe(10);
  });

  it('resumes after a recommendation with the rest of the same run, repeating none', async () => {
    const full = await collectSse((await stream('userId=user-456&limit=6')).body!);
    const third = full.events[2]!.id;
    const resumed = await collectSse(
      (await stream('userId=user-456&limit=6', { 'last-event-id': third! })).body!,
    );
    expectValidFrames(resumed);
    expect(resumed.events.map((event) => event.id)).toEqual(full.events.slice(3).map((event) => event.id));
    expect(resumed.events.slice(0, -1).map((event) => event.data)).toEqual(
      full.events.slice(3, -1).map((event) => event.data),
    );
    expect(JSON.parse(resumed.events.at(-1)!.data).total).toBe(6);
  });

  it('continues a run that was cut off, without repeating a pet', async () => {
    const first = await stream('userId=user-456&limit=6');
    const partial = await collectSse(first.body!, (capture) => capture.events.length >= 2);
    const resumed = await collectSse(
      (await stream('userId=user-456&limit=6', { 'last-event-id': partial.events[1]!.id! })).body!,
    );
    const sent = [...partial.events.slice(0, 2), ...resumed.events.slice(0, -1)].map(
      (event) => JSON.parse(event.data).petId,
    );
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
    expect(JSON.parse(resumed.events.at(-1)!.data).total).toBe(6);
  });

  it('answers 204 to a resume after complete, so EventSource stops reconnecting', async () => {
    const full = await collectSse((await stream('userId=user-456&limit=2')).body!);
    const response = await stream('userId=user-456&limit=2', { 'last-event-id': full.events.at(-1)!.id! });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('sends reset and a new run for an unknown run id', async () => {
    const unknown = '0193a5d0-0000-7000-8000-000000000001.3';
    const capture = await collectSse((await stream(`userId=user-456&limit=2&lastEventId=${unknown}`)).body!);
    expectValidFrames(capture);
    expect(capture.events.map((event) => event.event)).toEqual([
      'reset',
      'recommendation',
      'recommendation',
      'complete',
    ]);
    expect(JSON.parse(capture.events[0]!.data)).toMatchObject({ reason: 'unknown_id', lastEventId: unknown });
  });

  it('does not let one user resume another user’s run', async () => {
    const full = await collectSse((await stream('userId=user-456&limit=2')).body!);
    const capture = await collectSse(
      (await stream('userId=user-123&limit=2', { 'last-event-id': full.events[0]!.id! })).body!,
    );
    expect(capture.events[0]?.event).toBe('reset');
  });

  it('writes each recommendation the moment the recommender yields it', async () => {
    // Each run of the recommender parks after its first recommendation until the test lets it go on.
    const parked: (() => void)[] = [];
    let secondParked: () => void = () => {};
    const secondRunParked = new Promise<void>((resolve) => {
      secondParked = resolve;
    });
    let finished = false;
    const slow: Recommender = {
      async *recommend() {
        try {
          yield {
            petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90',
            name: 'First',
            score: 0.9,
            reason: 'Matches your preference for cats',
          };
          await new Promise<void>((resolve) => {
            parked.push(resolve);
            if (parked.length === 2) secondParked();
          });
          yield {
            petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a91',
            name: 'Second',
            score: 0.8,
            reason: 'Fits your preferred size (small)',
          };
        } finally {
          finished = true;
        }
      },
    };
    const slowApp = await startApp({ store, recommender: slow });
    try {
      const first = await collectSse(
        (await fetch(`${slowApp.url}${path}?userId=user-456`)).body!,
        (c) => c.events.length >= 1,
      );
      expect(first.events.map((event) => JSON.parse(event.data).name)).toEqual(['First']);
      const response = await fetch(`${slowApp.url}${path}?userId=user-456`);
      const capture = collectSse(response.body!);
      // The second run has sent its first recommendation and waits: let it go on.
      await secondRunParked;
      parked[1]!();
      const all = await capture;
      expect(all.events.map((event) => event.event)).toEqual([
        'recommendation',
        'recommendation',
        'complete',
      ]);
      expect(finished).toBe(true);
    } finally {
      await slowApp.close();
    }
  });

  it('stops the recommender as soon as the client goes away', async () => {
    let stopped: () => void = () => {};
    const stoppedPromise = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const endless: Recommender = {
      async *recommend({ signal }) {
        try {
          for (let n = 0; !signal.aborted; n++) {
            yield {
              petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90',
              name: `Pet ${n}`,
              score: 0.5,
              reason: 'Available now',
            };
            await new Promise<void>((resolve) =>
              signal.addEventListener('abort', () => resolve(), { once: true }),
            );
          }
        } finally {
          stopped();
        }
      },
    };
    const endlessApp = await startApp({ store, recommender: endless });
    try {
      const controller = new AbortController();
      const response = await fetch(`${endlessApp.url}${path}?userId=user-456`, { signal: controller.signal });
      await collectSse(response.body!, (c) => c.events.length >= 1);
      controller.abort();
      await stoppedPromise;
      expect(endlessApp.logs.filter((line) => line.level >= 40)).toEqual([]);
    } finally {
      await endlessApp.close();
    }
  });

  it('delivers a pet name with newlines and "event: complete" intact inside one data line', async () => {
    const evil = 'Rex\n\nevent: complete\ndata: {"total":0}\r\nid: 9';
    const pet = await app.services.pets.create({
      name: evil,
      species: 'reptile',
      breed: 'Iguana',
      size: 'large',
      ageMonths: 7,
      traits: ['quiet', 'curious'],
      price: 12.34,
      stock: 4,
    });
    await app.services.users.putPreferences('user-789', {
      species: ['reptile'],
      sizes: ['large'],
      traits: ['quiet', 'curious'],
      minAgeMonths: 6,
      maxAgeMonths: 8,
      maxPrice: 13,
    });
    const response = await stream('userId=user-789&limit=1');
    const text = await response.text();
    const dataLines = text.split('\n').filter((line) => line.startsWith('data:'));
    expect(dataLines).toHaveLength(2);
    const capture = await collectSse(new Response(text).body!);
    expect(capture.events.map((event) => event.event)).toEqual(['recommendation', 'complete']);
    expect(JSON.parse(capture.events[0]!.data)).toMatchObject({ petId: pet.id, name: evil });
  });

  it.each([
    ['a missing userId', 'limit=3', 400, '/userId'],
    ['a malformed userId', 'userId=user%20456', 400, '/userId'],
    ['a userId with a line feed', 'userId=user-456%0Aevent:%20x', 400, '/userId'],
    ['a userId with a NUL', 'userId=user-456%00', 400, '/userId'],
    ['an overlong userId', `userId=${'u'.repeat(65)}`, 400, '/userId'],
    ['a limit of 0', 'userId=user-456&limit=0', 400, '/limit'],
    ['a limit over 50', 'userId=user-456&limit=51', 400, '/limit'],
    ['a carriage return in lastEventId', 'userId=user-456&lastEventId=a%0Db', 400, '/lastEventId'],
  ])('refuses %s with problem+json before the stream opens', async (_name, query, status, pointer) => {
    const response = await stream(query);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await response.json()).errors).toContainEqual(expect.objectContaining({ pointer }));
  });

  it('answers 404 problem+json for an unknown user', async () => {
    const response = await stream('userId=nobody-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
