import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(e) redis-restored-snapshot', {
    database: 'postgres',
    redis: true,
    instances: 2,
  });
});

afterAll(() => scenario?.dispose());

/** Waits until every subscriber has the newest committed event, and returns its id. */
async function settle(): Promise<string> {
  const published = await scenario.database!.published();
  const head = headOf(published);
  await scenario.converge(published.generation, head);
  return `${published.generation}.${head}`;
}

it('resumes with ids from before and after the snapshot when Redis comes back from an older one', async () => {
  const [a, b] = [scenario.instance(0), scenario.instance(1)];
  const redis = scenario.redis!;
  const [petId] = await petIds(a.url, 1);
  const subscribers = [scenario.subscribe('A1', a), scenario.subscribe('B1', b)];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(petId!);

  await writer.burst(20, 3, scenario.spread());
  const beforeSnapshot = await settle();
  await redis.save('older.rdb');
  await writer.burst(20, 3, scenario.spread());
  const afterSnapshot = await settle();

  await redis.stop();
  await redis.restoreSnapshot('older.rdb');
  await redis.start();
  await writer.burst(20, 3, scenario.spread());
  scenario.subscribe('from-before', b, { lastEventId: beforeSnapshot });
  scenario.subscribe('from-after', a, { lastEventId: afterSnapshot });
  await writer.burst(10, 2, scenario.spread());

  const published = await scenario.database!.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  expect(scenario.crashes()).toEqual([]);
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
});
