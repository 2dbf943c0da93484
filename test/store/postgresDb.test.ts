import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPostgres } from '../../src/store/index.js';
import { createTestDatabase } from '../helpers/testStore.js';

let db: Db;
let other: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = await openPostgres({ connectionString: database.url, maxConnections: 4 });
  other = await openPostgres({ connectionString: database.url, maxConnections: 2 });
  await db.exec(`
    CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL CHECK (value >= 0));
    INSERT INTO counters VALUES ('a', 0), ('stock', 3);
  `);
});
afterAll(async () => {
  await other.close();
  await db.close();
  await drop();
});

describe('openPostgres', () => {
  it('returns rows with $1 parameters, bigint as the driver parses it', async () => {
    expect(await db.query<{ n: string }>('SELECT $1::bigint AS n', [42])).toEqual([{ n: '42' }]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction((tx) => tx.query("UPDATE counters SET value = 5 WHERE name = 'a'"));
    await expect(
      db.transaction(async (tx) => {
        await tx.query("UPDATE counters SET value = 9 WHERE name = 'a'");
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.query("SELECT value FROM counters WHERE name = 'a'")).toEqual([{ value: 5 }]);
  });

  it('runs a nested transaction in a savepoint', async () => {
    await db.transaction(async (tx) => {
      await tx.query("UPDATE counters SET value = 6 WHERE name = 'a'");
      await tx
        .transaction(async (inner) => {
          await inner.query("UPDATE counters SET value = 7 WHERE name = 'a'");
          throw new Error('inner');
        })
        .catch(() => undefined);
    });
    expect(await db.query("SELECT value FROM counters WHERE name = 'a'")).toEqual([{ value: 6 }]);
  });

  it('keeps concurrent transactions on separate connections correct with a conditional update', async () => {
    const take = () =>
      db.transaction(async (tx) => {
        const rows = await tx.query(
          "UPDATE counters SET value = value - 1 WHERE name = 'stock' AND value >= 1 RETURNING value",
        );
        return rows.length === 1;
      });
    const results = await Promise.all(Array.from({ length: 10 }, take));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await db.query("SELECT value FROM counters WHERE name = 'stock'")).toEqual([{ value: 0 }]);
  });

  it('holds withLock across pools as if they were separate instances, and never starves a small pool', async () => {
    const trace: string[] = [];
    const critical = (who: string, pool: Db) =>
      pool.withLock('counter', async () => {
        trace.push(`${who}+`);
        await pool.transaction((tx) => tx.query("UPDATE counters SET value = value + 1 WHERE name = 'a'"));
        trace.push(`${who}-`);
      });
    await Promise.all(Array.from({ length: 6 }, (_, i) => critical(`${i}`, i % 2 ? other : db)));
    for (let i = 0; i < trace.length; i += 2) expect(trace[i + 1]).toBe(trace[i]!.replace('+', '-'));
    expect(trace).toHaveLength(12);
  });
});
