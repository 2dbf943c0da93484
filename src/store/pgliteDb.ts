import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './Db.js';
import { initialDataDir } from './initialDataDir.js';

/** Where the embedded database keeps its data. */
export interface PgliteOptions {
  /** A folder for the data, kept across restarts. Default: none, the database lives in memory. */
  dataDir?: string | undefined;
  /**
   * Start from this copy of a data folder (a tarball from PGlite's `dumpDataDir()`) instead of initialising an
   * empty database (initdb, about 2–6 s). Default: none.
   */
  loadDataDir?: Blob | undefined;
}

function transactionDb(tx: Transaction, depth: number): Db {
  const query = async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
    (await tx.query<T>(sql, [...params])).rows;
  return {
    inTransaction: true,
    query,
    // One session, one transaction at a time: nothing waits on its locks, so the statement simply runs.
    queryLast: query,
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
    transaction: (fn) => savepoint(tx, depth + 1, fn),
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

const INSIDE_TRANSACTION =
  'A query used the database handle inside db.transaction(); use the transaction handle `tx` passed to the callback, or it would wait for its own transaction forever.';

/**
 * Puts an open PGlite behind the {@link Db} port. PGlite has one session and serialises the work itself:
 * `pg.transaction()` holds its mutex until it commits or rolls back, and every other query waits for it.
 * So inside a transaction only `tx` may be used. A call on this handle from the callback's synchronous start
 * is refused; one after the callback's first `await` cannot be told apart from another caller's (that would
 * take an AsyncLocalStorage, whose promise hooks slow every promise in the process) and waits forever.
 */
export function pgliteDb(pg: PGlite): Db {
  let startingCallback = false;
  const refuseInside = (): void => {
    if (startingCallback) throw new Error(INSIDE_TRANSACTION);
  };
  return {
    inTransaction: false,
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      refuseInside();
      return (await pg.query<T>(sql, [...params])).rows;
    },
    async queryLast<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      refuseInside();
      return (await pg.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      refuseInside();
      await pg.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      refuseInside();
      return pg.transaction((tx) => {
        startingCallback = true;
        try {
          return fn(transactionDb(tx, 0));
        } finally {
          startingCallback = false;
        }
      });
    },
    close: () => pg.close(),
  };
}

/**
 * Postgres' buffer pool inside PGlite. Its default, 128MB, is set up on every start: most of the ~1 s PGlite
 * takes to open an existing data folder. 16MB opens it 2–4× faster and still holds the whole embedded
 * catalog (a few MB); a bigger data set is what `DATABASE_URL` (a Postgres server) is for.
 */
const SHARED_BUFFERS = '16MB';

/**
 * Opens the embedded PostgreSQL (PGlite) behind the {@link Db} port. Transactions run one at a time: a query
 * or transaction from another caller waits until the open one commits or rolls back.
 * Default: in memory (for tests); with `dataDir` the data survives a restart, and a new folder starts from
 * the build's initialised one when there is one (see `initialDataDir`).
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  const loadDataDir =
    options.loadDataDir ??
    (options.dataDir === undefined ? undefined : await initialDataDir(options.dataDir));
  const pg = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(loadDataDir === undefined ? {} : { loadDataDir }),
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  return pgliteDb(pg);
}
