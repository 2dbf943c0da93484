/**
 * The data access port: plain PostgreSQL with `$1` parameters, the same text for the embedded PGlite
 * adapter and a Postgres server. Rows come back as the driver parses them; repositories convert them.
 */
export interface Db {
  /** True for the handle a transaction's callback gets: work on it is already inside that transaction. */
  readonly inTransaction: boolean;
  /** Runs one statement with `$1`-style parameters and returns its rows (none for a statement without rows). */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs the last statement of a transaction. On the handle of a top-level transaction over a Postgres server
   * it is sent together with COMMIT, in one round trip: the row locks it takes (a stream's counter row) are
   * held only while the server runs it and flushes the commit, never while this process is busy with other
   * work. Nothing may run on the handle after it. Anywhere else it is {@link query}. Resolves with its rows,
   * or with `undefined` when the transaction committed but the connection dropped before its rows came back.
   */
  queryLast<T>(sql: string, params?: readonly unknown[]): Promise<T[] | undefined>;
  /** Runs a script of several statements without parameters, such as a migration. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. Inside `fn` use only
   * `tx`; other callers wait until the transaction ends. A nested call runs in a savepoint of the outer one.
   * A database that cannot be reached rejects with StoreUnavailableError (nothing was committed); a COMMIT
   * whose outcome cannot be learnt rejects with CommitOutcomeUnknownError.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Closes the database; a transaction handle refuses to close. */
  close(): Promise<void>;
}

/**
 * Runs `fn` in a transaction of `db`, or right on `db` when it already is one: a repository method called by
 * a use case that wraps several changes (and their events) in one transaction joins it, without a savepoint.
 */
export function withinTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.inTransaction ? fn(db) : db.transaction(fn);
}
