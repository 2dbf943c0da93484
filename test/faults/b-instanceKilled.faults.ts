import { afterAll, beforeAll, expect, it } from 'vitest';
import { headOf, petIds } from './harness/catalog.js';
import { InventoryWriter } from './harness/InventoryWriter.js';
import { orderStatus, placeOrder, setStock } from './harness/orders.js';
import { Scenario } from './harness/Scenario.js';
import { note } from './harness/tally.js';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start('(b) instance-killed', { database: 'postgres', redis: true, instances: 3 });
});

afterAll(() => scenario?.dispose());

/** Polls an order on `url` until it ships, or gives up after `timeoutMs` with the status it last had. */
async function shipped(url: () => string, orderId: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let status = await orderStatus(url(), orderId);
  while (status !== 'shipped' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await orderStatus(url(), orderId);
  }
  return status;
}

it('loses nothing when one of three instances is killed (-9) mid-burst; its orders still ship', async () => {
  const [a, b, c] = [scenario.instance(0), scenario.instance(1), scenario.instance(2)];
  const [writtenPet, orderedPet] = (await petIds(a.url, 2)) as [string, string];
  await setStock(a.url, orderedPet, 1000);
  const subscribers = [
    scenario.subscribe('A1', a),
    scenario.subscribe('B1', b),
    scenario.subscribe('C1', c),
    scenario.subscribe('C2', c),
  ];
  await Promise.all(subscribers.map((subscriber) => subscriber.opened()));
  const writer = new InventoryWriter(writtenPet);
  const orders: string[] = [];
  let ordersPlaced: Promise<void> = new Promise(() => {});

  await writer.burst(90, 6, scenario.spread(), async (i) => {
    if (i === 20) {
      ordersPlaced = (async () => {
        for (let n = 0; n < 4; n++) {
          const { status, orderId } = await placeOrder(c.url, orderedPet);
          expect(status).toBe(201);
          orders.push(orderId!);
        }
      })();
    }
    // Mid-burst, and while C's orders are between their first and last status.
    if (i === 30) {
      await ordersPlaced;
      await scenario.kill(c);
    }
  });

  const survivor = () => scenario.running()[0]!.url;
  const statuses = await Promise.all(orders.map((orderId) => shipped(survivor, orderId)));
  const published = await scenario.database!.published();
  await scenario.converge(published.generation, headOf(published));
  const { counts, problems } = await scenario.verdict(published);
  note(
    scenario.label,
    `writes ${JSON.stringify(writer.statuses())}, unanswered ${JSON.stringify(writer.unanswered(published))}`,
  );
  expect(scenario.crashes()).toEqual([]);
  expect(statuses).toEqual(orders.map(() => 'shipped'));
  expect(writer.dishonest(published)).toEqual([]);
  expect(problems).toEqual([]);
  expect(counts.map((count) => count.resets)).toEqual(counts.map(() => 0));
  // C's subscribers went on elsewhere.
  expect(subscribers.slice(2).map((subscriber) => subscriber.connections > 1)).toEqual([true, true]);
});
