import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { petIds } from './harness/catalog.js';
import { type OrderAnswer, placeOrder, setStock } from './harness/orders.js';
import { Scenario } from './harness/Scenario.js';
import { FAULTS_SEED, seededRandom } from './harness/seededRandom.js';
import { note } from './harness/tally.js';

const SEED = FAULTS_SEED;
const ROUNDS = 4;
const KEYS_PER_ROUND = 12;
const STOCK = 1000;

const IN_FLIGHT = '/problems/idempotency-key-in-flight';
const ANSWER_LOST = '/problems/idempotency-key-answer-lost';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(i) killed-before-answer-kept', {
    database: 'postgres',
    redis: true,
    instances: 2,
    // A dead process's claims run out after a second, so the retries below learn their fate quickly.
    env: { IDEMPOTENCY_LEASE_SECONDS: '1' },
  });
});

afterAll(() => scenario?.dispose());

/** Retries one key on `url` until its first request's fate is known: anything but 409 in flight. */
async function settle(url: string, petId: string, key: string): Promise<OrderAnswer> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await placeOrder(url, petId, { idempotencyKey: key });
    if (answer.problem !== IN_FLIGHT || Date.now() > deadline) return answer;
    // The key is held by the killed process until its 1 s lease runs out: ask again.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('never applies a key twice when its instance is killed between the commit and keeping the answer', async () => {
  const [survivor, victim] = [scenario.instance(0), scenario.instance(1)];
  const [petId] = (await petIds(survivor.url, 1)) as [string];
  await setStock(survivor.url, petId, STOCK);
  const database = scenario.database!;
  const countOrders = async () =>
    (
      await database.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE pet_id = $1', [petId])
    )[0]!.n;
  const ordersBefore = await countOrders();
  const next = seededRandom(SEED);
  const fates: Record<string, number> = {};
  const problems: string[] = [];
  let keys = 0;

  for (let round = 0; round < ROUNDS; round++) {
    if (!victim.running) await victim.start();
    const roundKeys = Array.from({ length: KEYS_PER_ROUND }, () => randomUUID());
    keys += roundKeys.length;
    const delayMs = Math.floor(next() * 4);
    // Every key's first request goes to the victim, which is killed just after the first of them answers:
    // the others are then at every stage, some committed and not yet answered.
    const first = roundKeys.map((key) =>
      placeOrder(victim.url, petId, { idempotencyKey: key }).catch(() => undefined),
    );
    await Promise.race(first.map((answer) => answer.then((a) => (a ? a : new Promise(() => {})))));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await scenario.kill(victim);
    const firstAnswers = await Promise.all(first);
    for (const [i, key] of roundKeys.entries()) {
      const answer = await settle(survivor.url, petId, key);
      const before = firstAnswers[i];
      const fate =
        answer.status === 201
          ? answer.replayed
            ? 'replayed'
            : 'ran again (first did not commit)'
          : answer.problem === ANSWER_LOST
            ? 'answer lost (first committed)'
            : `${answer.status} ${answer.problem}`;
      fates[fate] = (fates[fate] ?? 0) + 1;
      if (answer.status !== 201 && answer.problem !== ANSWER_LOST)
        problems.push(`key ${key}: ${JSON.stringify(answer)}`);
      // A first request answered 201 must be replayed with the same order, never run again.
      if (before?.status === 201 && (answer.status !== 201 || answer.orderId !== before.orderId))
        problems.push(`key ${key}: answered ${JSON.stringify(before)}, then ${JSON.stringify(answer)}`);
    }
    note(scenario.label, `round ${round}: killed ${delayMs} ms after the first answer`);
  }

  const created = (await countOrders()) - ordersBefore;
  const [pet] = await database.query<{ stock: number }>('SELECT stock FROM pets WHERE id = $1', [petId]);
  note(scenario.label, `seed=${SEED} keys=${keys} orders=${created} fates ${JSON.stringify(fates)}`);
  expect(scenario.crashes()).toEqual([]);
  expect(problems).toEqual([]);
  // Each key ended applied exactly once: by its first request (replayed, or its answer lost) or by a retry.
  expect(created).toBe(keys);
  expect(pet!.stock).toBe(STOCK - keys);
});
