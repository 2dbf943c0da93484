import pg from 'pg';
import type { Db } from './Db.js';
import { KeyedMutex } from './KeyedMutex.js';

/** How to reach a Postgres server. */
export interface PostgresOptions {
  /** A `postgres://` connection string (DATABASE_URL). */
  connectionString: string;
  /** Connections in the pool. Default: 10. */
  maxConnections?: number | undefined;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

function clientDb(client: Queryable, depth: number): Db {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await client.query(sql, [...params])).rows as T[];
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    transaction: (fn) => savepoint(client, depth + 1, fn),
    withLock: () => Promise.reject(new Error('Take Db.withLock outside the transaction, not inside it.')),
    close: () =>
      Promise.reject(new Error('A transaction handle cannot close the database; close the Db itself.')),
  };
}

async function savepoint<T>(client: Queryable, depth: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `savepoint_${depth}`;
  await client.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(clientDb(client, depth));
    await client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/**
 * A Postgres server behind the {@link Db} port, through a `pg` pool. Unlike PGlite, transactions run
 * concurrently, each on its own pooled connection; row locks (`FOR UPDATE`) and conditional updates keep
 * concurrent writers correct across processes.
 */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; the next query gets a fresh one.
  pool.on('error', () => {});
  await pool.query('SELECT 1');
  const locals = new KeyedMutex();
  return {
    ...clientDb(pool, 0),
    // The in-process mutex first: only one pooled connection per process ever waits on the advisory lock,
    // so waiters cannot starve the pool of the connection the lock holder needs for its transaction.
    withLock: (name, fn) =>
      locals.run(name, async () => {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
          try {
            return await fn();
          } finally {
            await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
          }
        } finally {
          client.release();
        }
      }),
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client, 0));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          // The connection is already broken; releasing it with the error below discards it.
        });
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
