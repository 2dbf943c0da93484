import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPostgres, StoreUnavailableError } from '../../src/store/index.js';
import { inlineParameters } from '../../src/store/postgresDb.js';
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

  it('prepares each statement once per connection and reuses it, also after a schema change', async () => {
    const sql = 'SELECT value FROM counters WHERE name = $1 AND value >= $2';
    await db.transaction(async (tx) => {
      expect(await tx.query(sql, ['a', 0])).toHaveLength(1);
      expect(await tx.query(sql, ['stock', 0])).toHaveLength(1);
      const prepared = await tx.query<{ statement: string }>(
        'SELECT statement FROM pg_prepared_statements WHERE statement = $1',
        [sql],
      );
      // Both runs on this connection used one prepared statement.
      expect(prepared).toHaveLength(1);
    });
    await db.exec('ALTER TABLE counters ADD COLUMN note text');
    try {
      // Postgres plans a prepared statement again when a table it reads changed.
      for (let i = 0; i < 8; i++) expect(await db.query(sql, ['a', 0])).toHaveLength(1);
    } finally {
      await db.exec('ALTER TABLE counters DROP COLUMN note');
    }
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

  it('survives its backend being terminated inside a transaction: StoreUnavailableError, nothing committed, no crash', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const attempt = db.transaction(async (tx) => {
        await tx.query("UPDATE counters SET value = 100 WHERE name = 'a'");
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = row?.pid;
        // Terminated from another instance while this transaction's client sits idle, checked out.
        await other.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.query('SELECT 1');
      });
      const error = await attempt.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).code).toBe('unavailable');
      expect(await db.query("SELECT value FROM counters WHERE name = 'a'")).not.toEqual([{ value: 100 }]);
      // The pool discarded the broken client and serves the next transaction on a fresh one.
      expect(await db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'))).toEqual([
        { one: 1 },
      ]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('reads back the fate of a transaction whose connection drops during COMMIT: aborted is StoreUnavailableError', async () => {
    // A deferred constraint trigger runs at COMMIT and waits there, so the backend can be ended mid-commit.
    await db.exec(`
      CREATE TABLE slow_commit (v integer);
      CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON slow_commit
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit();
    `);
    let pid: number | undefined;
    const attempt = db
      .transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        pid = row?.pid;
        await tx.query('INSERT INTO slow_commit VALUES (1)');
      })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    // Ended while it runs COMMIT (the trigger sleeping in it): the transaction did not commit.
    for (;;) {
      const [state] = await other.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE pid = $1',
        [pid ?? 0],
      );
      if (state?.query === 'COMMIT') break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await other.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await attempt;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(await db.query('SELECT count(*)::int AS n FROM slow_commit')).toEqual([{ n: 0 }]);
  });

  it('sends a last statement with its COMMIT: its rows come back, and everything before it is committed', async () => {
    await db.exec(`CREATE TABLE last_rows (k text PRIMARY KEY, v text NOT NULL)`);
    let sent = '';
    const rows = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO last_rows VALUES ('before', 'x')");
      const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const last = await tx.queryLast<{ k: string; v: string }>(
        'INSERT INTO last_rows VALUES ($1, $2) RETURNING k, v',
        ['last', "it's $1 \\ é 🐶"],
      );
      // The backend ran one statement text holding both: the insert and the COMMIT.
      [{ query: sent }] = (await other.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE pid = $1',
        [row!.pid],
      )) as [{ query: string }];
      return last;
    });
    expect(rows).toEqual([{ k: 'last', v: "it's $1 \\ é 🐶" }]);
    expect(sent).toMatch(/;\s*COMMIT$/);
    expect(await other.query('SELECT k FROM last_rows ORDER BY k')).toEqual([{ k: 'before' }, { k: 'last' }]);
  });

  it('rolls the whole transaction back when its last statement fails, and the connection is usable again', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("UPDATE counters SET value = 77 WHERE name = 'a'");
        await tx.queryLast("UPDATE counters SET value = -1 WHERE name = 'stock'");
      }),
    ).rejects.toThrow(/check constraint/);
    expect(await db.query("SELECT value FROM counters WHERE name = 'a'")).not.toEqual([{ value: 77 }]);
    for (let i = 0; i < 4; i++)
      expect(await db.transaction((tx) => tx.queryLast('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it('reads back the fate of a last statement whose connection drops during its COMMIT: aborted is StoreUnavailableError', async () => {
    await db.exec(`
      CREATE TABLE slow_last (v integer);
      CREATE CONSTRAINT TRIGGER wait_at_last_commit AFTER INSERT ON slow_last
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit();
    `);
    let pid: number | undefined;
    const attempt = db
      .transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        pid = row?.pid;
        await tx.queryLast('INSERT INTO slow_last VALUES ($1)', [1]);
      })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    for (;;) {
      const [state] = await other.query<{ query: string; wait: string | null }>(
        'SELECT query, wait_event AS wait FROM pg_stat_activity WHERE pid = $1',
        [pid ?? 0],
      );
      if (state?.query.endsWith('COMMIT') && state.wait === 'PgSleep') break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await other.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await attempt).toBeInstanceOf(StoreUnavailableError);
    expect(await db.query('SELECT count(*)::int AS n FROM slow_last')).toEqual([{ n: 0 }]);
  });

  it('inlines parameters as literals the server reads back exactly', async () => {
    const tricky = ["'; DROP TABLE counters; --", 'back\\slash', "E'x'", '$2 $1', 'ünï 🐶', '', '"quoted"'];
    for (const value of tricky) {
      const [row] = await db.query<{ v: string }>(inlineParameters('SELECT $1::text AS v', [value]));
      expect(row?.v).toBe(value);
    }
    const [arrays] = await db.query<{ a: string[]; n: number }>(
      inlineParameters('SELECT $1::text[] AS a, $2::int AS n', [tricky, 3]),
    );
    expect(arrays).toEqual({ a: tricky, n: 3 });
    expect(() => inlineParameters('SELECT $1', [Number.NaN])).toThrow(TypeError);
    expect(() => inlineParameters('SELECT $2', ['x'])).toThrow(RangeError);
    expect(() => inlineParameters('SELECT $1', [{}])).toThrow(TypeError);
  });

  it('answers StoreUnavailableError, not a hang or a crash, when the server cannot be reached', async () => {
    const unreachable = openPostgres({
      connectionString: 'postgres://root@127.0.0.1:1/none',
      connectTimeoutMs: 500,
    });
    await expect(unreachable).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
