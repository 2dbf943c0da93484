import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './Db.js';
import { KeyedMutex } from './KeyedMutex.js';

/** Where the embedded database keeps its data. */
export interface PgliteOptions {
  /** A folder for the data, kept across restarts. Default: none, the database lives in memory. */
  dataDir?: string | undefined;
}

interface OpenTransaction {
  open: boolean;
}

function refuseInside(transactions: AsyncLocalStorage<OpenTransaction>): void {
  if (transactions.getStore()?.open) {
    throw new Error(
      'A query used the database handle inside db.transaction(); use the transaction handle `tx` passed to the callback, or it would wait for its own transaction forever.',
    );
  }
}

function transactionDb(tx: Transaction, depth: number): Db {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await tx.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
    transaction: (fn) => savepoint(tx, depth + 1, fn),
    withLock: () => Promise.reject(new Error('Take Db.withLock outside the transaction, not inside it.')),
    close: () =>
      Promise.reject(new Error('A transaction handle cannot close the database; close the Db itself.')),
  };
}

async function savepoint<T>(tx: Transaction, depth: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `savepoint_${depth}`;
  await tx.exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn(transactionDb(tx, depth));
    await tx.exec(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

function pgliteDb(pg: PGlite): Db {
  const transactions = new AsyncLocalStorage<OpenTransaction>();
  const locks = new KeyedMutex();
  return {
    withLock: (name, fn) => locks.run(name, fn),
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      refuseInside(transactions);
      return (await pg.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      refuseInside(transactions);
      await pg.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      refuseInside(transactions);
      return pg.transaction(async (tx) => {
        const state: OpenTransaction = { open: true };
        try {
          return await transactions.run(state, () => fn(transactionDb(tx, 0)));
        } finally {
          state.open = false;
        }
      });
    },
    close: () => pg.close(),
  };
}

/**
 * Opens the embedded PostgreSQL (PGlite) behind the {@link Db} port. Transactions run one at a time: a query
 * or transaction from another caller waits until the open one commits or rolls back.
 * Default: in memory (for tests); with `dataDir` the data survives a restart.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  const pg = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  return pgliteDb(pg);
}
