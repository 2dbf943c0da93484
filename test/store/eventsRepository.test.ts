import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { openTestStore, storeBackend } from '../helpers/testStore.js';

let store: Store;
beforeAll(async () => {
  store = await openTestStore({ seed: false });
});
afterAll(async () => {
  await store.close();
});

const draft = (n: number) => ({ event: 'e', data: JSON.stringify({ n }) });

describe(`the events outbox (${storeBackend})`, () => {
  it('has one generation of 12 hex digits for the life of the database', async () => {
    const generation = await store.events.generation();
    expect(generation).toMatch(/^[0-9a-f]{12}$/);
    expect(await store.events.generation()).toBe(generation);
  });

  it('gives each stream contiguous positions from 1, several events of one write in order', async () => {
    const first = await store.transaction((tx) => store.events.append(tx.db, 'a', [draft(1), draft(2)]));
    const second = await store.transaction((tx) => store.events.append(tx.db, 'a', [draft(3)]));
    const other = await store.transaction((tx) => store.events.append(tx.db, 'b', [draft(9)]));
    expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(other.map((e) => e.seq)).toEqual([1]);
    expect((await store.events.read('a', 1)).map((e) => [e.seq, JSON.parse(e.data).n])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    expect(await store.events.read('a', 0, { upTo: 2 })).toHaveLength(2);
    expect(await store.events.bounds('a')).toEqual({ head: 3, oldest: 1 });
    expect(await store.events.bounds('never')).toEqual({ head: 0, oldest: undefined });
  });

  it('takes no position for a write that rolls back, so the stream has no hole', async () => {
    await expect(
      store.transaction(async (tx) => {
        await store.events.append(tx.db, 'c', [draft(1)]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [event] = await store.transaction((tx) => store.events.append(tx.db, 'c', [draft(2)]));
    expect(event?.seq).toBe(1);
  });

  it('numbers concurrent writes of one stream without a gap or a repeat, in commit order', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      store.transaction((tx) => store.events.append(tx.db, 'busy', [draft(i)])),
    );
    const seqs = (await Promise.all(writes)).flat().map((e) => e.seq);
    expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const rows = await store.events.read('busy', 0);
    expect(rows.map((e) => e.seq)).toEqual(seqs);
  });

  it('prunes all but the newest of each stream and keeps counting after them', async () => {
    for (let i = 0; i < 5; i++) await store.transaction((tx) => store.events.append(tx.db, 'p', [draft(i)]));
    const deleted = await store.events.prune({ retentionSeconds: 3600, keepPerStream: 2 });
    expect(deleted).toBeGreaterThanOrEqual(3);
    expect(await store.events.bounds('p')).toEqual({ head: 5, oldest: 4 });
    const [next] = await store.transaction((tx) => store.events.append(tx.db, 'p', [draft(6)]));
    expect(next?.seq).toBe(6);
  });

  it('lists the heads of recently written streams by prefix', async () => {
    await store.transaction((tx) => store.events.append(tx.db, 'order:x', [draft(1)]));
    const heads = await store.events.recentHeads(600, ['order:']);
    expect(heads).toEqual([{ topic: 'order:x', head: 1 }]);
  });
});
