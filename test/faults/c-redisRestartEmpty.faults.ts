import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

/** How long Redis stays down (the issue says 5 s; the relay and timeouts are configured short). */
const DOWN_MS = Number(process.env.FAULTS_REDIS_DOWN_MS ?? 2000);

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(c) redis-restart-empty', {
    database: 'postgres',
    redis: true,
    instances: 2,
  });
});

afterAll(() => scenario?.dispose());

it('delivers every committed change once, in order, when Redis stops and comes back empty', async () => {
  const [a, b] = [scenario.instance(0), scenario.instance(1)];
  const redis = scenario.redis!;
  const [petId] = await petIds(a.url, 1);
  // `churn` resumes every 300 ms, so resumes happen all through the fault.
  const subscribers = [
    scenario.subscribe('A1', a),
    scenario.subscribe('B1', b),
    scenario.subscribe('churn', b, { churnMs: 300 }),
  ];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(petId!);
  await writer.burst(30, 3, scenario.spread());
  const before = subscribers[0]!.lastEventId;

  await redis.stop();
  await redis.forgetSnapshot();
  await writer.until(new Promise((resolve) => setTimeout(resolve, DOWN_MS)), 2, scenario.spread());
  await redis.start();
  await writer.burst(30, 3, scenario.spread());
  // A client that was away through all of it comes back with an id from before the outage.
  scenario.subscribe('late', b, { lastEventId: before });

  const published = await scenario.database!.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  note(scenario.label, `writes ${JSON.stringify(writer.statuses())}`);
  expect(scenario.crashes()).toEqual([]);
  // Nothing a write does waits on Redis: every one commits and answers 200.
  expect(writer.statuses()).toEqual({ 200: writer.outcomes.length });
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
});
