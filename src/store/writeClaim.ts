import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './Db.js';

/**
 * Something a request's write must record in the transaction of its change: the `Idempotency-Key` the
 * request holds is marked applied there, so the mark commits exactly when the change does.
 */
export interface WriteClaim {
  /** Runs inside every top-level transaction begun under {@link runWithWriteClaim}, before its work. */
  settle(tx: Db): Promise<void>;
}

const current = new AsyncLocalStorage<WriteClaim>();

/**
 * Runs `fn` so that every top-level transaction of a store it calls settles `claim` (see
 * {@link settlingWriteClaims}); with `undefined`, so that none does.
 */
export function runWithWriteClaim<T>(claim: WriteClaim | undefined, fn: () => Promise<T>): Promise<T> {
  return claim === undefined ? current.exit(fn) : current.run(claim, fn);
}

/**
 * The write claim of the request this code runs for, if any: for a write that runs later in another
 * context (a group commit) and settles its claim itself.
 */
export function currentWriteClaim(): WriteClaim | undefined {
  return current.getStore();
}

/**
 * `db`, whose top-level transactions first settle the write claim of the request they run for, if any
 * (nested transactions and single statements are untouched: a write goes through a transaction).
 */
export function settlingWriteClaims(db: Db): Db {
  return {
    get inTransaction() {
      return db.inTransaction;
    },
    query: (sql, params) => db.query(sql, params),
    queryLast: (sql, params) => db.queryLast(sql, params),
    exec: (sql) => db.exec(sql),
    transaction(fn) {
      const claim = current.getStore();
      if (claim === undefined) return db.transaction(fn);
      return db.transaction(async (tx) => {
        await claim.settle(tx);
        return fn(tx);
      });
    },
    close: () => db.close(),
  };
}
