import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/Db.js';
import { openPglite } from '../../src/store/pgliteDb.js';
import { openTestStore, pgliteTemplate } from '../helpers/testStore.js';

let db: Db;

beforeAll(async () => {
  db = await openPglite({ loadDataDir: await pgliteTemplate('empty') });
  await db.exec(`
    CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL);
    INSERT INTO counters VALUES ('a', 0);
  `);
});

afterAll(async () => {
  await db.close();
});

async function value(): Promise<number> {
  const [row] = await db.query<{ value: number }>("SELECT value FROM counters WHERE name = 'a'");
  return row!.value;
}

/** Promise hooks (which any running AsyncLocalStorage turns on) give each promise callback its own async id. */
async function promiseHooksOn(): Promise<boolean> {
  const asyncIdOfCallback = () => Promise.resolve().then(() => executionAsyncId());
  const first = await asyncIdOfCallback();
  const second = await asyncIdOfCallback();
  return first !== second;
}

async function setValue(handle: Db, next: number): Promise<void> {
  await handle.query("UPDATE counters SET value = $1 WHERE name = 'a'", [next]);
}

describe('openPglite', () => {
  it('returns rows with $1 parameters', async () => {
    const rows = await db.query<{ sum: number }>('SELECT $1::int + $2::int AS sum', [2, 3]);
    expect(rows).toEqual([{ sum: 5 }]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction((tx) => setValue(tx, 1));
    await expect(
      db.transaction(async (tx) => {
        await setValue(tx, 99);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await value()).toBe(1);
  });

  it('runs a nested transaction in a savepoint', async () => {
    await db.transaction(async (tx) => {
      await setValue(tx, 2);
      await expect(
        tx.transaction(async (inner) => {
          await setValue(inner, 50);
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
      await tx.transaction((inner) => setValue(inner, 3));
    });
    expect(await value()).toBe(3);
  });

  it('never interleaves concurrent transactions', async () => {
    const start = await value();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ value: number }>("SELECT value FROM counters WHERE name = 'a'");
          await new Promise((resolve) => setTimeout(resolve, 1));
          await setValue(tx, row!.value + 1);
        }),
      ),
    );
    expect(await value()).toBe(start + 20);
  });

  it('refuses the database handle inside a transaction instead of waiting forever', async () => {
    await expect(db.transaction(() => db.query('SELECT 1'))).rejects.toThrow(/use the transaction handle/);
    await expect(db.transaction((tx) => tx.close())).rejects.toThrow(/cannot close/);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('makes a query from another caller wait until the open transaction ends', async () => {
    const before = await value();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const rolledBack = db.transaction(async (tx) => {
      await setValue(tx, before + 100);
      entered();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    const read = value();
    release();
    await expect(rolledBack).rejects.toThrow('roll back');
    expect(await read).toBe(before);
  });

  it('opens a store and runs transactions and savepoints without promise hooks (no AsyncLocalStorage)', async () => {
    expect(await promiseHooksOn(), 'on after the tests above used the database').toBe(false);
    const probe = new AsyncLocalStorage<number>();
    probe.run(1, () => undefined);
    expect(await promiseHooksOn()).toBe(true);
    probe.disable();
    expect(await promiseHooksOn()).toBe(false);

    await db.transaction(async (tx) => {
      await setValue(tx, 10);
      await tx.transaction((inner) => setValue(inner, 11));
    });
    await expect(db.transaction(() => db.query('SELECT 1'))).rejects.toThrow(/use the transaction handle/);
    expect(await value()).toBe(11);
    const store = await openTestStore();
    await store.close();
    expect(await promiseHooksOn()).toBe(false);
  });
});
