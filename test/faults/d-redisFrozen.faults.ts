import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

/** How long Redis stays frozen: several times EVENT_REDIS_TIMEOUT_MS (300), so publishes time out. */
const FROZEN_MS = Number(process.env.FAULTS_REDIS_FROZEN_MS ?? 1500);

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(d) redis-frozen', { database: 'postgres', redis: true, instances: 2 });
});

afterAll(() => scenario?.dispose());

it('answers every write honestly and delivers every committed change when Redis freezes (SIGSTOP)', async () => {
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
  await writer.burst(20, 3, scenario.spread());
  const before = subscribers[0]!.lastEventId;

  redis.freeze();
  try {
    await writer.until(new Promise((resolve) => setTimeout(resolve, FROZEN_MS)), 4, scenario.spread());
  } finally {
    redis.thaw();
  }
  await writer.burst(20, 3, scenario.spread());
  scenario.subscribe('late', a, { lastEventId: before });

  const published = await scenario.database!.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  note(scenario.label, `writes ${JSON.stringify(writer.statuses())}`);
  expect(scenario.crashes()).toEqual([]);
  // A 2xx is committed (and, above, delivered); a 503 changed nothing.
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
});
