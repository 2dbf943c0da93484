import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { petIds } from './harness/catalog.js';
import { type Published, readPublished } from './harness/faultDatabase.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import type { Subscriber } from './harness/Subscriber.js';
import { streamHead } from './harness/streamHead.js';
import { note } from './harness/tally.js';

/** An id of a history this database never had. */
const FOREIGN_ID = '000000000000.5';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(a) embedded-restart', { database: 'embedded', instances: 1 });
});

afterAll(() => scenario?.dispose());

/** Waits until every subscriber has what the stream holds now, and returns that id. */
async function settle(): Promise<string> {
  const head = await streamHead(scenario.instance(0).url);
  const [generation, seq] = head.split('.') as [string, string];
  await scenario.converge(generation, Number(seq));
  return head;
}

/** What the embedded database holds (the server must be stopped: PGlite is one process's). */
async function publishedIn(dataDir: string): Promise<Published> {
  const db = new PGlite(dataDir);
  try {
    return await readPublished(async (sql, params) => (await db.query(sql, params)).rows as never[]);
  } finally {
    await db.close();
  }
}

it('resumes with ids of the old process after the embedded server restarts, gracefully or killed mid-burst', async () => {
  const server = scenario.instance(0);
  const [petId] = await petIds(server.url, 1);
  const subscribers = [scenario.subscribe('S1', server), scenario.subscribe('S2', server)];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(petId!);
  const resumers: [string, string][] = [];

  await writer.burst(20, 3, scenario.spread());
  resumers.push(['before-restart', await settle()]);
  await scenario.kill(server, 'SIGTERM');
  await server.start();
  await writer.burst(20, 3, scenario.spread());
  resumers.push(['before-kill', await settle()]);
  // Killed with writes in flight: what it committed is on disk and keeps its ids.
  await writer.burst(20, 3, scenario.spread(), async (i) => {
    if (i === 10) await scenario.kill(server, 'SIGKILL');
  });
  await server.start();
  await writer.burst(20, 3, scenario.spread());

  const late: Subscriber[] = resumers.map(([name, id]) =>
    scenario.subscribe(name, server, { lastEventId: id }),
  );
  const foreign = scenario.subscribe('foreign', server, { lastEventId: FOREIGN_ID });
  await Promise.all([...late, foreign].map((subscriber) => subscriber.opened()));
  await writer.burst(10, 2, scenario.spread());
  await settle();
  await scenario.kill(server, 'SIGTERM');

  const published = await publishedIn(scenario.dataDir!);
  const { counts, problems } = await scenario.verdict(published);
  note(
    scenario.label,
    `writes ${JSON.stringify(writer.statuses())}, unanswered ${JSON.stringify(writer.unanswered(published))}`,
  );
  expect(scenario.crashes()).toEqual([]);
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  // Only the id from another history is answered with a reset, and it says so.
  expect(counts.map((count) => count.resets)).toEqual([0, 0, 0, 0, 1]);
  expect(foreign.resets.map((reset) => reset.reason)).toEqual(['other_generation']);
});
