import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

/**
 * How long Redis stays frozen: many times EVENT_REDIS_TIMEOUT_MS (300), so publishes time out, and far longer
 * than EVENT_REDIS_OUTAGE_MS (600), after which open streams must be told.
 */
const FROZEN_MS = Number(process.env.FAULTS_REDIS_FROZEN_MS ?? 3000);

/**
 * The longest an open stream may go without an event that was committed, while Redis cannot be reached: the
 * outage is told after EVENT_REDIS_OUTAGE_MS (600), the client resumes after `retry` (100) and reads from the
 * database; the rest is room for a loaded machine.
 */
const STALL_LIMIT_MS = 2500;

let scenario: Scenario;
let delays: Record<string, { maxDelayMs: number; streamErrors: number }> = {};

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
  // Nothing a write does waits on Redis: every one commits and answers 200.
  expect(writer.statuses()).toEqual({ 200: writer.outcomes.length });
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
  delays = Object.fromEntries(
    subscribers
      .slice(0, 2)
      .map((subscriber, i) => [
        subscriber.name,
        { maxDelayMs: counts[i]!.maxDelayMs, streamErrors: subscriber.streamErrors.length },
      ]),
  );
});

// README, "Faults": open streams whose instance cannot reach Redis for EVENT_REDIS_OUTAGE_MS end with
// `stream-error` and resume from the database; a stream is never left silent through the whole freeze.
it('does not leave an open stream silent while Redis is frozen', () => {
  expect(Object.keys(delays)).toEqual(['A1', 'B1']);
  for (const [name, { maxDelayMs, streamErrors }] of Object.entries(delays)) {
    expect({ name, stalledOver: maxDelayMs > STALL_LIMIT_MS, maxDelayMs, streamErrors }).toMatchObject({
      name,
      stalledOver: false,
    });
  }
});
