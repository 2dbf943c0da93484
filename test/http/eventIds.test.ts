import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { staffBearer } from '../helpers/accessTokens.js';
import { collectSse } from '../helpers/collectSse.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { pgliteTemplate } from '../helpers/testStore.js';

const ID = /^([0-9a-f]{12})\.(0|[1-9][0-9]*)$/;

let work: string;
let dataDir: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-event-ids-'));
  dataDir = path.join(work, 'data');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The embedded server on a data folder kept across restarts, as `npm start` runs it. */
async function boot(): Promise<{ app: StartedApp; store: Store }> {
  // A new folder starts from the run's initialised template (as `npm run build` gives `npm start`).
  const loadDataDir = existsSync(dataDir) ? undefined : await pgliteTemplate('empty');
  const store = await openStore({ dataDir, loadDataDir });
  return { app: await startApp({ store }), store };
}

async function stop(started: { app: StartedApp; store: Store }): Promise<void> {
  await started.app.close();
  await started.store.close();
}

async function setStock(app: StartedApp, petId: string, stock: number): Promise<void> {
  const response = await fetch(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(await staffBearer()) },
    body: JSON.stringify({ stock }),
  });
  expect(response.status).toBe(200);
}

/** Reads a stream until `count` events came (or a reset and count more). */
async function read(app: StartedApp, lastEventId: string | undefined, count: number) {
  const controller = new AbortController();
  const response = await fetch(`${app.url}/v1/inventory/stream`, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
    signal: controller.signal,
  });
  const capture = await collectSse(response.body!, (c) => c.events.length >= count);
  controller.abort();
  return capture.events;
}

describe('event ids of the embedded server', () => {
  it('are never reused after a restart: a resume with an id of the old process replays exactly what came after', async () => {
    let first = await boot();
    const petId = (await first.store.pets.list({ limit: 1, offset: 0 })).items[0]!.id;
    const before: string[] = [];
    try {
      const stream = read(first.app, undefined, 3);
      for (const stock of [41, 42, 43]) await setStock(first.app, petId, stock);
      for (const event of await stream) before.push(event.id!);
    } finally {
      await stop(first);
    }
    expect(before).toHaveLength(3);
    const [generation] = ID.exec(before[0]!)!.slice(1);

    first = await boot();
    try {
      for (const stock of [44, 45]) await setStock(first.app, petId, stock);
      const resumed = await read(first.app, before[0], 4);
      expect(resumed.map((event) => event.event)).toEqual([
        'stock-change',
        'stock-change',
        'stock-change',
        'stock-change',
      ]);
      expect(resumed.slice(0, 2).map((event) => event.id)).toEqual(before.slice(1));
      expect(resumed.map((event) => JSON.parse(event.data).newStock)).toEqual([42, 43, 44, 45]);
      const positions = resumed.map((event) => Number(ID.exec(event.id!)![2]));
      expect(positions).toEqual(positions.map((_, i) => positions[0]! + i));
      expect(resumed.every((event) => ID.exec(event.id!)![1] === generation)).toBe(true);
    } finally {
      await stop(first);
    }
  });

  it('answers an id of another history with reset other_generation, and one never issued with unknown_id', async () => {
    const started = await boot();
    try {
      const [other] = await read(started.app, '000000000000.3', 1);
      expect(other?.event).toBe('reset');
      expect(JSON.parse(other!.data)).toMatchObject({
        reason: 'other_generation',
        lastEventId: '000000000000.3',
      });
      const head = (await started.app.eventLog.head('inventory'))!;
      const [generation, position] = head.split('.');
      const future = `${generation}.${Number(position) + 100}`;
      const [unknown] = await read(started.app, future, 1);
      expect(JSON.parse(unknown!.data)).toMatchObject({ reason: 'unknown_id', lastEventId: future });
      expect(unknown?.id).toBe(head);
      const [malformed] = await read(started.app, '1732441234567-0', 1);
      expect(JSON.parse(malformed!.data).reason).toBe('unknown_id');
    } finally {
      await stop(started);
    }
  });

  it('starts a new stream with an id-only block at the head, so a reconnect before any event misses nothing', async () => {
    const started = await boot();
    try {
      const petId = (await started.store.pets.list({ limit: 1, offset: 0 })).items[0]!.id;
      const response = await fetch(`${started.app.url}/v1/inventory/stream`);
      const reader = response.body!.getReader();
      let text = '';
      while (!/\n\nid: [^\n]+\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      const startId = /\n\nid: ([^\n]+)\n\n/.exec(text)![1]!;
      expect(startId).toBe(await started.app.eventLog.head('inventory'));
      // Changed while the client was away, before it saw any event: the resume from the start id has it.
      await setStock(started.app, petId, 7);
      const [missed] = await read(started.app, startId, 1);
      expect(missed?.event).toBe('stock-change');
      expect(JSON.parse(missed!.data).newStock).toBe(7);
    } finally {
      await stop(started);
    }
  });

  it('starts a stream opened while others follow the topic at their head: the next change arrives once, nothing before it', async () => {
    const started = await boot();
    const controller = new AbortController();
    try {
      const petId = (await started.store.pets.list({ limit: 1, offset: 0 })).items[0]!.id;
      const open = () => fetch(`${started.app.url}/v1/inventory/stream`, { signal: controller.signal });
      const follower = await open();
      let seen = 0;
      const followed = collectSse(follower.body!, (c) => {
        seen = c.events.length;
        return seen >= 3;
      });
      await setStock(started.app, petId, 21);
      await setStock(started.app, petId, 22);
      // Read by the follower: the topic has handed both on, so its position is the head.
      await until(() => seen >= 2);
      const head = await started.app.eventLog.head('inventory');
      const joiner = await open();
      const joined = collectSse(joiner.body!, (c) => c.events.length >= 1);
      await setStock(started.app, petId, 23);
      const [next] = (await joined).events;
      expect(JSON.parse(next!.data).newStock).toBe(23);
      const followerEvents = (await followed).events;
      expect(followerEvents.map((e) => JSON.parse(e.data).newStock)).toEqual([21, 22, 23]);
      expect(next!.id).toBe(followerEvents[2]!.id);
      expect(ID.exec(next!.id!)![2]).toBe(String(Number(ID.exec(head!)![2]) + 1));
    } finally {
      controller.abort();
      await stop(started);
    }
  });
});
