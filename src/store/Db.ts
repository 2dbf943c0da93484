/**
 * The data access port: plain PostgreSQL with `$1` parameters, the same text for the embedded PGlite
 * adapter and a Postgres server. Rows come back as the driver parses them; repositories convert them.
 */
export interface Db {
  /** Runs one statement with `$1`-style parameters and returns its rows (none for a statement without rows). */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters, such as a migration. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. Inside `fn` use only
   * `tx`; other callers wait until the transaction ends. A nested call runs in a savepoint of the outer one.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the named lock, for every process that shares the database (a Postgres advisory
   * lock; in-process for the embedded database). Callers use it to make "commit, then publish the event" one
   * step, so events leave in commit order even across instances.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Closes the database; a transaction handle refuses to close. */
  close(): Promise<void>;
}
