import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { placeOrder, setStock } from './harness/orders.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

const KEYS = 5;
const STOCK = 100;

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(h) idempotent-order', {
    database: 'postgres',
    redis: true,
    instances: 2,
  });
});

afterAll(() => scenario?.dispose());

it('places one order for one Idempotency-Key sent to two instances at once and again later', async () => {
  const [a, b] = [scenario.instance(0), scenario.instance(1)];
  const [petId] = (await petIds(a.url, 1)) as [string];
  await setStock(a.url, petId, STOCK);
  const subscribers = [scenario.subscribe('A1', a), scenario.subscribe('B1', b)];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const database = scenario.database!;
  const ordersBefore = await database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE pet_id = $1',
    [petId],
  );

  const problems: string[] = [];
  let key = '';
  for (let k = 0; k < KEYS; k++) {
    key = randomUUID();
    const racing = await Promise.all([
      placeOrder(a.url, petId, { idempotencyKey: key }),
      placeOrder(b.url, petId, { idempotencyKey: key }),
    ]);
    const later = await placeOrder(b.url, petId, { idempotencyKey: key });
    const answers = [...racing, later];
    const ids = new Set(answers.filter((answer) => answer.status === 201).map((answer) => answer.orderId));
    // The race may answer the loser 409 (the first is still in progress); never a second order, never a 5xx.
    if (ids.size !== 1 || answers.some((answer) => answer.status !== 201 && answer.status !== 409)) {
      problems.push(`key ${key}: ${JSON.stringify(answers)}`);
    }
    if (later.status !== 201 || !later.replayed)
      problems.push(`key ${key}: retry not replayed ${JSON.stringify(later)}`);
  }
  // The same key with another body is refused, on either instance.
  const otherBody = await placeOrder(a.url, petId, { idempotencyKey: key, quantity: 2 });
  if (otherBody.status !== 422) problems.push(`same key, other body: ${JSON.stringify(otherBody)}`);

  const [orders] = await database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM orders WHERE pet_id = $1',
    [petId],
  );
  const [pet] = await database.query<{ stock: number }>('SELECT stock FROM pets WHERE id = $1', [petId]);
  const published = await database.published();
  await scenario.converge(published.generation, headOf(published));
  const { problems: delivery } = await scenario.verdict(published);
  note(scenario.label, `keys=${KEYS} orders=${orders!.n - ordersBefore[0]!.n} stock=${pet!.stock}`);
  expect(scenario.crashes()).toEqual([]);
  expect(problems).toEqual([]);
  expect(orders!.n - ordersBefore[0]!.n).toBe(KEYS);
  expect(pet!.stock).toBe(STOCK - KEYS);
  expect(delivery).toEqual([]);
});
