import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLiveLog } from '../../../src/bus/index.js';
import {
  createEventLog,
  type EventLog,
  INVENTORY_TOPIC,
  type Publish,
} from '../../../src/domain/events/index.js';
import { createIdempotencyService } from '../../../src/domain/idempotency/index.js';
import { openStore, type Repositories, type Store } from '../../../src/store/index.js';
import { createTestDatabase, pgliteTemplate } from '../../helpers/testStore.js';

/**
 * Group commit (src/domain/events/groupCommit.ts), on both databases: the writes that wait while one runs are
 * committed together in one transaction, each in its own savepoint. Which transaction wrote an event is read
 * back from the database itself (`xmin` of its outbox row), not from the code under test.
 */

interface Opened {
  store: Store;
  log: EventLog;
  /** The id of the transaction that wrote each event of the inventory stream, by position. */
  writers(): Promise<Map<number, string>>;
  close(): Promise<void>;
}

async function openLog(store: Store): Promise<EventLog> {
  return createEventLog({ store, live: (history) => createMemoryLiveLog({ history, capacity: 1000 }) });
}

/** A store with its event log, and how to read which transaction wrote each event; `dispose` runs after close. */
async function withLog(store: Store, dispose: () => Promise<void> = async () => {}): Promise<Opened> {
  const log = await openLog(store);
  return {
    store,
    log,
    writers: () => writersOf((sql, params) => store.db.query(sql, params)),
    close: async () => {
      await log.close();
      await store.close();
      await dispose();
    },
  };
}

const backends: Record<string, () => Promise<Opened>> = {
  pglite: async () => withLog(await openStore({ loadDataDir: await pgliteTemplate('seeded') })),
  async postgres() {
    const database = await createTestDatabase('petstore_group_commit');
    return withLog(await openStore({ databaseUrl: database.url }), database.drop);
  },
};

async function writersOf(
  query: (sql: string, params: unknown[]) => Promise<{ seq: string | number; writer: string }[]>,
): Promise<Map<number, string>> {
  const rows = await query('SELECT seq, xmin::text AS writer FROM events WHERE topic = $1 ORDER BY seq', [
    INVENTORY_TOPIC.name,
  ]);
  return new Map(rows.map((row) => [Number(row.seq), row.writer]));
}

/** A promise and its resolver. */
function gate(): { open(): void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Sets a pet's stock and publishes its `stock-change`, as the inventory service does. */
async function setStock(tx: Repositories, publish: Publish, petId: string, stock: number): Promise<number> {
  const now = new Date();
  const result = await tx.inventory.update(petId, { stock }, { now });
  const change = result?.changes.stock;
  if (!change) throw new Error(`stock of ${petId} did not change to ${stock}`);
  publish(INVENTORY_TOPIC, {
    event: 'stock-change',
    data: { petId, oldStock: change.old, newStock: change.new, timestamp: now.toISOString() },
  });
  return stock;
}

describe.each(Object.keys(backends))('group commit on %s', (backend) => {
  let opened: Opened;
  let petIds: string[];

  beforeAll(async () => {
    opened = await backends[backend]!();
    petIds = (await opened.store.inventory.list()).map((item) => item.petId);
  });
  afterAll(async () => {
    await opened?.close();
  });

  /** The head of the inventory stream now. */
  const head = async (): Promise<number> => (await opened.log.bounds(INVENTORY_TOPIC)).head;

  /**
   * Starts a write that holds the queue until `release` is called, so the writes made meanwhile wait and
   * make up one group. Resolves once it is running.
   */
  async function holdQueue(): Promise<{ release(): void; done: Promise<unknown> }> {
    const running = gate();
    const release = gate();
    // Read before: on PGlite nothing but the transaction's own handle may query while it is open.
    const stock = 900 + (await head());
    const done = opened.log.write(async (tx, publish) => {
      running.open();
      await release.opened;
      return setStock(tx, publish, petIds[0]!, stock);
    });
    await running.opened;
    return { release: release.open, done };
  }

  it('commits the writes that waited together in one transaction, their events contiguous and in order', async () => {
    const from = await head();
    const follower = await opened.log.follow(INVENTORY_TOPIC, from);
    const held = await holdQueue();
    const stocks = Array.from({ length: 20 }, (_, i) => 1000 + from + i);
    const writes = stocks.map((stock, i) =>
      opened.log.write((tx, publish) => setStock(tx, publish, petIds[(i % 5) + 1]!, stock)),
    );
    held.release();
    await held.done;
    expect(await Promise.all(writes)).toEqual(stocks);

    const writers = await opened.writers();
    const positions = Array.from({ length: 21 }, (_, i) => from + 1 + i);
    expect(positions.every((seq) => writers.has(seq))).toBe(true);
    // The first alone, the 20 that waited in one transaction of their own.
    expect(new Set(positions.slice(1).map((seq) => writers.get(seq))).size).toBe(1);
    expect(writers.get(positions[0]!)).not.toBe(writers.get(positions[1]!));

    // Delivered once each, in position order, with the changes in the order the writes were made.
    const received: { seq: number; newStock: number }[] = [];
    for await (const entry of follower.entries) {
      received.push({ seq: entry.seq, newStock: (entry.data as { newStock: number }).newStock });
      if (received.length === 21) break;
    }
    follower.close();
    expect(received.map((entry) => entry.seq)).toEqual(positions);
    expect(received.slice(1).map((entry) => entry.newStock)).toEqual(stocks);
  });

  it('commits the writes made in one turn of the event loop together, with nothing running before them', async () => {
    const from = await head();
    const stocks = Array.from({ length: 10 }, (_, i) => 1500 + from + i);
    const writes = stocks.map((stock, i) =>
      opened.log.write((tx, publish) => setStock(tx, publish, petIds[(i % 5) + 1]!, stock)),
    );
    expect(await Promise.all(writes)).toEqual(stocks);
    const writers = await opened.writers();
    const positions = stocks.map((_, i) => from + 1 + i);
    expect(new Set(positions.map((seq) => writers.get(seq))).size).toBe(1);
  });

  it('takes back only the changes of a write that throws, and tells it its own error once the group committed', async () => {
    const from = await head();
    const target = petIds[3]!;
    const stockBefore = (await opened.store.inventory.list()).find((item) => item.petId === target)!.stock;
    const held = await holdQueue();
    const failure = new Error('this write changed its mind');
    const settled: string[] = [];
    const first = opened.log.write((tx, publish) => setStock(tx, publish, petIds[1]!, 2000 + from));
    const failing = opened.log.write(async (tx, publish) => {
      await setStock(tx, publish, target, stockBefore + 500);
      throw failure;
    });
    const last = opened.log.write((tx, publish) => setStock(tx, publish, petIds[2]!, 2001 + from));
    for (const [name, write] of Object.entries({ first, failing, last }))
      write.then(
        () => settled.push(name),
        () => settled.push(name),
      );
    held.release();
    await held.done;
    await expect(failing).rejects.toBe(failure);
    await Promise.all([first, last]);
    // The failed write is answered after the group committed, so after the ones that succeeded.
    expect(settled.indexOf('failing')).toBeGreaterThan(settled.indexOf('first'));

    const items = await opened.store.inventory.list();
    expect(items.find((item) => item.petId === target)!.stock).toBe(stockBefore);
    expect(items.find((item) => item.petId === petIds[1])!.stock).toBe(2000 + from);
    const events = await opened.log.read(INVENTORY_TOPIC, from);
    expect(events.map((event) => (event.data as { newStock: number }).newStock)).toEqual([
      900 + from,
      2000 + from,
      2001 + from,
    ]);
    expect(events.map((event) => event.seq)).toEqual([from + 1, from + 2, from + 3]);
  });

  it("marks each write's Idempotency-Key in its own savepoint: a lost claim fails that write alone", async () => {
    const keys = createIdempotencyService(opened.store.idempotencyKeys, { leaseSeconds: 1 });
    const request = (key: string) => ({
      operationId: 'updateInventory',
      principal: 'staff',
      key,
      fingerprint: 'f'.repeat(64),
    });
    const kept = await keys.begin(request(`kept-${backend}`));
    const lost = await keys.begin(request(`lost-${backend}`));
    if (kept.kind !== 'run' || lost.kind !== 'run') throw new Error('both keys should be claimed');
    // The second request's claim is freed before its write runs, as when its lease ran out and a retry took it.
    await lost.claim.release();

    const from = await head();
    const held = await holdQueue();
    const keptWrite = kept.claim.run(() =>
      opened.log.write((tx, publish) => setStock(tx, publish, petIds[4]!, 3000 + from)),
    );
    const lostWrite = lost.claim.run(() =>
      opened.log.write((tx, publish) => setStock(tx, publish, petIds[5]!, 3001 + from)),
    );
    held.release();
    await held.done;
    await expect(keptWrite).resolves.toBe(3000 + from);
    await expect(lostWrite).rejects.toThrow();

    const events = await opened.log.read(INVENTORY_TOPIC, from);
    expect(events.map((event) => (event.data as { newStock: number }).newStock)).toEqual([
      900 + from,
      3000 + from,
    ]);
    // Once the leases ran out (no answer was stored): the kept key was applied, so a retry is told its
    // answer was lost rather than run again; the lost one was not, so a retry runs.
    const later = { now: new Date(Date.now() + 10_000) };
    expect((await keys.begin(request(`kept-${backend}`), later)).kind).toBe('answer_lost');
    expect((await keys.begin(request(`lost-${backend}`), later)).kind).toBe('run');
  });
});

describe('group commit on postgres, two processes whose groups wait on each other in a cycle', () => {
  let database: { url: string; drop(): Promise<void> };
  const stores: Store[] = [];
  const logs: EventLog[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('petstore_group_deadlock');
    // The deadlock is found after deadlock_timeout (1 s by default): short here.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(
      `ALTER DATABASE ${new URL(database.url).pathname.slice(1)} SET deadlock_timeout = '50ms'`,
    );
    await admin.end();
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ databaseUrl: database.url, seed: i === 0 });
      stores.push(store);
      logs.push(await openLog(store));
    }
  });
  afterAll(async () => {
    for (const log of logs) await log.close();
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it('runs the group the database chose to break the cycle again: every write commits once', async () => {
    const [a, b] = logs as [EventLog, EventLog];
    const [p1, p2, p0] = (await stores[0]!.inventory.list()).map((item) => item.petId) as [
      string,
      string,
      string,
    ];
    const aHolds = gate();
    const bHolds = gate();
    const releaseA = gate();
    const releaseB = gate();
    // A write on each log that holds its queue, running, until released: the writes made meanwhile wait and
    // make up one group per log.
    const hold = async (log: EventLog, release: Promise<void>) => {
      const running = gate();
      const done = log.write(async (tx, publish) => {
        running.open();
        await release;
        return setStock(tx, publish, p0, log === a ? 4000 : 4001);
      });
      await running.opened;
      return { done };
    };
    const heldA = (await hold(a, releaseA.opened)).done;
    const heldB = (await hold(b, releaseB.opened)).done;
    // Keys that lie about the order the writes lock their rows in: A locks p1 then p2, B p2 then p1.
    let runs = 0;
    /** Two writes on `log`: the first locks `first` and says so, the second waits for the other log's, then locks `second`. */
    const lockThenWait = (
      log: EventLog,
      [first, second]: [string, string],
      [firstStock, secondStock]: [number, number],
      mine: ReturnType<typeof gate>,
      theirs: ReturnType<typeof gate>,
    ) => [
      log.write(
        async (tx, publish) => {
          runs++;
          const stock = await setStock(tx, publish, first, firstStock);
          mine.open();
          return stock;
        },
        { lockKey: '1' },
      ),
      log.write(
        async (tx, publish) => {
          runs++;
          await theirs.opened;
          return setStock(tx, publish, second, secondStock);
        },
        { lockKey: '2' },
      ),
    ];
    const writes = [
      ...lockThenWait(a, [p1, p2], [4100, 4101], aHolds, bHolds),
      ...lockThenWait(b, [p2, p1], [4200, 4201], bHolds, aHolds),
    ];
    releaseA.open();
    releaseB.open();
    await Promise.all([heldA, heldB]);
    expect(await Promise.all(writes)).toEqual([4100, 4101, 4200, 4201]);
    // The database broke the cycle by failing one write's statement, which rolled back its group's
    // transaction (its writes run without savepoints until one fails): that group's two writes ran again.
    expect(runs).toBe(6);

    const events = await a.read(INVENTORY_TOPIC, 0);
    const newStocks = events.map((event) => (event.data as { newStock: number }).newStock);
    expect([...newStocks].sort()).toEqual([4000, 4001, 4100, 4101, 4200, 4201]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // Each pet's changes chain: every stock-change starts where the one before it on that pet ended.
    for (const petId of [p1, p2]) {
      const chain = events
        .map((event) => event.data as { petId: string; oldStock: number; newStock: number })
        .filter((change) => change.petId === petId);
      for (let i = 1; i < chain.length; i++) expect(chain[i]!.oldStock).toBe(chain[i - 1]!.newStock);
    }
  });
});
