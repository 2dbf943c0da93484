import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

/** How long the backends are terminated, and how often (the issue: every ~450 ms). */
const FAULT_MS = Number(process.env.FAULTS_PG_TERMINATE_MS ?? 4000);
const EVERY_MS = 450;

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(f) postgres-backends-terminated', {
    database: 'postgres',
    redis: true,
    instances: 3,
  });
});

afterAll(() => scenario?.dispose());

it('survives its Postgres backends being terminated every 450 ms during writes, losing nothing', async () => {
  const database = scenario.database!;
  const [petId] = await petIds(scenario.instance(0).url, 1);
  const subscribers = scenario.instances.map((instance) => scenario.subscribe(`${instance.name}1`, instance));
  // One that resumes every 300 ms: its resumes read the database while its backends are being terminated.
  subscribers.push(scenario.subscribe('churn', scenario.instance(0), { churnMs: 300 }));
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(petId!);
  await writer.burst(15, 3, scenario.spread());

  let terminated = 0;
  const faults = (async () => {
    for (const end = Date.now() + FAULT_MS; Date.now() < end; ) {
      terminated += await database.terminateBackends();
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
  })();
  await writer.until(faults, 6, scenario.spread());
  const duringFaults = writer.statuses();

  // Every instance is alive, healthy and, within a few seconds, takes writes again by itself.
  expect(scenario.crashes()).toEqual([]);
  const healthy = await Promise.all(scenario.instances.map((instance) => instance.answers('/healthz')));
  expect(healthy).toEqual(scenario.instances.map(() => true));
  for (const instance of scenario.instances) {
    const deadline = Date.now() + 10_000;
    while ((await writer.write(instance.url)).status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await writer.burst(15, 3, scenario.spread());

  const published = await database.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  note(
    scenario.label,
    `backends=${terminated} writes during faults ${JSON.stringify(duringFaults)}, all ${JSON.stringify(writer.statuses())}, outcome unknown ${JSON.stringify(writer.unanswered(published))}`,
  );
  expect(terminated).toBeGreaterThan(0);
  expect(scenario.crashes()).toEqual([]);
  expect(writer.outcomes.slice(-15).map((outcome) => outcome.status)).toEqual(Array(15).fill(200));
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
});
