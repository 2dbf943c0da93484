import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { Scenario } from './harness/Scenario.js';
import { FAULTS_SEED, seededRandom } from './harness/seededRandom.js';
import { note } from './harness/tally.js';

const SEED = FAULTS_SEED;
const ROUNDS = 3;

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(g) killed-mid-burst', {
    database: 'postgres',
    redis: true,
    instances: 3,
  });
});

afterAll(() => scenario?.dispose());

it('delivers every committed change when an instance is killed at a random moment of a burst', async () => {
  const [a, b, victim] = [scenario.instance(0), scenario.instance(1), scenario.instance(2)];
  const [petId] = await petIds(a.url, 1);
  const subscribers = [
    scenario.subscribe('A1', a),
    scenario.subscribe('B1', b),
    scenario.subscribe('C1', victim),
  ];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(petId!);
  const next = seededRandom(SEED);
  const kills: string[] = [];

  for (let round = 0; round < ROUNDS; round++) {
    if (!victim.running) await victim.start();
    const at = 5 + Math.floor(next() * 35);
    const delayMs = Math.floor(next() * 10);
    let killed: Promise<void> = Promise.resolve();
    // Half the writes go to the victim while it runs, so several are in flight when it dies.
    const target = (i: number) => (i % 2 === 0 && victim.running ? victim.url : scenario.spread()(i));
    await writer.burst(50, 6, target, (i) => {
      if (i !== at) return;
      killed = new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => scenario.kill(victim));
    });
    await killed;
    kills.push(`write ${at}+${delayMs}ms`);
  }

  const published = await scenario.database!.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  note(
    scenario.label,
    `seed=${SEED} kills at ${kills.join(', ')}; writes ${JSON.stringify(writer.statuses())}, unanswered ${JSON.stringify(writer.unanswered(published))}`,
  );
  expect(scenario.crashes()).toEqual([]);
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
});
