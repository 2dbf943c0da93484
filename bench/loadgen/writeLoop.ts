import { nowMs } from '../clock.js';
import { checkDelivery } from './deliveryCheck.js';
import type { InventoryWatcher } from './InventoryWatcher.js';
import type { WritesCommand, WritesResult } from './protocol.js';
import { WriteConnection } from './WriteConnection.js';

/** Stock values written so far: every write sets a value no write set before, so every write changes. */
let lastStock = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * W7: inventory writes spread round-robin over the instances and pets, closed loop (`concurrency` in flight,
 * the next sent as soon as one is answered) or open loop (`rate` per second on a fixed schedule; a write that
 * would exceed `maxInFlight` is not sent and counted as shed). Then waits until every subscriber has every
 * change answered 2xx (or `settleMs` passed) and checks each subscriber's events.
 */
export async function runWrites(command: WritesCommand, watchers: InventoryWatcher[]): Promise<WritesResult> {
  const marks = watchers.map((watcher) => watcher.events.length);
  /** Each 2xx write's key, and when its answer arrived. */
  const expected = new Map<string, number>();
  const failed: Record<string, number> = {};
  const idle = command.ports.map(() => [] as WriteConnection[]);
  const all: WriteConnection[] = [];
  let sent = 0;
  let inFlight = 0;
  let shed = 0;
  let lastAnsweredAt = 0;
  const startedAt = nowMs();
  const stopAt = startedAt + command.durationMs;

  const write = async (instance: number): Promise<void> => {
    const petId = command.petIds[sent % command.petIds.length]!;
    const stock = ++lastStock;
    if (stock > 1_000_000) throw new Error('W7 ran out of distinct stock values (maximum 1000000)');
    sent++;
    inFlight++;
    const connection =
      idle[instance]!.pop() ?? new WriteConnection(command.ports[instance]!, command.headers);
    if (!all.includes(connection)) all.push(connection);
    const status = await connection.patch(petId, stock);
    idle[instance]!.push(connection);
    inFlight--;
    lastAnsweredAt = nowMs();
    if (status >= 200 && status < 300) expected.set(`${petId}:${stock}`, lastAnsweredAt);
    else failed[status] = (failed[status] ?? 0) + 1;
  };

  if (command.mode.kind === 'closed') {
    const slot = async (k: number): Promise<void> => {
      for (let j = 0; nowMs() < stopAt; j++) await write((k + j) % command.ports.length);
    };
    await Promise.all(Array.from({ length: command.mode.concurrency }, (_, k) => slot(k)));
  } else {
    const { rate, maxInFlight } = command.mode;
    const pending: Promise<void>[] = [];
    for (let i = 0; ; i++) {
      const due = startedAt + (i * 1000) / rate;
      if (due >= stopAt) break;
      const wait = due - nowMs();
      if (wait > 1) await sleep(wait);
      if (inFlight >= maxInFlight) shed++;
      else pending.push(write(i % command.ports.length));
    }
    await Promise.all(pending);
  }
  for (const connection of all) connection.close();

  const deadline = nowMs() + command.settleMs;
  const complete = (): boolean =>
    watchers.every((watcher) => [...expected.keys()].every((key) => watcher.firstIndex.has(key)));
  while (!complete() && nowMs() < deadline) await sleep(20);
  // Anything sent after the expected events (a duplicate, a stray) would arrive right behind them.
  await sleep(200);
  const idOwners = new Map<string, string>();
  const deliveries = watchers.map((watcher, i) => checkDelivery(watcher, marks[i]!, expected, idOwners));
  return {
    type: 'writes',
    sent,
    ok: expected.size,
    failed,
    shed,
    durationMs: lastAnsweredAt - startedAt,
    deliveredMs: Math.max(...deliveries.map((delivery) => delivery.lastAt)) - startedAt,
    deliveries,
  };
}
