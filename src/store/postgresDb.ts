import pg from 'pg';
import { isConnectionFault } from './connectionFault.js';
import type { Db } from './Db.js';
import { CommitOutcomeUnknownError, StoreUnavailableError } from './errors/index.js';

/** How to reach a Postgres server. */
export interface PostgresOptions {
  /** A `postgres://` connection string (DATABASE_URL). */
  connectionString: string;
  /** Connections in the pool. Default: 10. */
  maxConnections?: number | undefined;
  /** How long to wait for a connection (a new one, or a free one of the pool). Default: 2000 ms. */
  connectTimeoutMs?: number | undefined;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Sends a transaction's last statement with its COMMIT (see `Db.queryLast`). */
type LastStatement = (sql: string, params: readonly unknown[]) => Promise<unknown[] | undefined>;

/**
 * `sql` with each `$n` replaced by its parameter as a literal, for the simple query protocol (which takes no
 * parameters but several statements): strings quoted by the driver's `escapeLiteral`, arrays of strings as
 * `ARRAY[…]`, numbers as they are. Only for this module's own statements, whose text holds no `$` otherwise.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new TypeError(`not a finite number: ${value}`);
      return String(value);
    }
    if (typeof value === 'string') return pg.escapeLiteral(value);
    if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
    throw new TypeError(`cannot inline a parameter of type ${typeof value}`);
  };
  return sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const index = Number(n) - 1;
    if (index >= params.length) throw new RangeError(`no parameter $${n}`);
    return literal(params[index]);
  });
}

/** A connection fault becomes StoreUnavailableError; anything else is passed on as it is. */
function translated(error: unknown): unknown {
  return isConnectionFault(error) ? new StoreUnavailableError(error) : error;
}

/** Most statement texts prepared by name on each connection (this module's callers send a fixed set). */
const MAX_PREPARED = 256;
const preparedNames = new Map<string, string>();

/**
 * A name for `sql`, so that each connection parses and plans it once and then only binds and executes it
 * (`pg` prepares a named statement on a connection the first time it sends it there). Texts past
 * {@link MAX_PREPARED} go unnamed.
 */
function statementName(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `petstore_${preparedNames.size + 1}`;
    preparedNames.set(sql, name);
  }
  return name;
}

function clientDb(client: Queryable, depth: number, last?: LastStatement): Db {
  async function query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return (await client.query({ text: sql, values: [...params], name: statementName(sql) })).rows as T[];
    } catch (error) {
      throw translated(error);
    }
  }
  return {
    inTransaction: depth >= 0,
    query,
    queryLast: async <T>(sql: string, params: readonly unknown[] = []) =>
      last ? ((await last(sql, params)) as T[] | undefined) : query<T>(sql, params),
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (error) {
        throw translated(error);
      }
    },
    transaction: (fn) => savepoint(client, depth + 1, fn),
    close: () =>
      Promise.reject(new Error('A transaction handle cannot close the database; close the Db itself.')),
  };
}

async function savepoint<T>(client: Queryable, depth: number, fn: (tx: Db) => Promise<T>): Promise<T> {
  const name = `savepoint_${depth}`;
  const tx = clientDb(client, depth);
  await tx.exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.exec(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/** How long the fate of a transaction whose COMMIT lost its connection is looked for. */
const OUTCOME_ATTEMPTS = 10;
const OUTCOME_PAUSE_MS = 100;

/**
 * A Postgres server behind the {@link Db} port, through a `pg` pool. Unlike PGlite, transactions run
 * concurrently, each on its own pooled connection; row locks (`FOR UPDATE`) and conditional updates keep
 * concurrent writers correct across processes.
 *
 * Faults never crash the process: the pool and every checked-out client have error listeners, a broken
 * client is discarded rather than put back, and a lost or refused connection rejects with
 * StoreUnavailableError (the pool reconnects on the next use). Each transaction learns its id first
 * (`pg_current_xact_id()`, sent with BEGIN in one round trip), so when the connection drops during COMMIT
 * its fate is read back (`pg_xact_status`) on another connection: committed is success, aborted is
 * StoreUnavailableError, and only when that cannot be read is it CommitOutcomeUnknownError.
 */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    keepAlive: true,
  });
  // An idle client that loses its connection emits 'error' on the pool; the next query gets a fresh one.
  pool.on('error', () => {});
  const outside = clientDb(pool, -1);
  try {
    await outside.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  async function outcomeOf(xid: string, cause: unknown): Promise<'committed' | 'aborted'> {
    for (let attempt = 0; attempt < OUTCOME_ATTEMPTS; attempt++) {
      try {
        const [row] = await outside.query<{ status: string | null }>(
          'SELECT pg_xact_status($1::xid8) AS status',
          [xid],
        );
        if (row?.status === 'committed') return 'committed';
        if (row?.status === 'aborted' || row?.status === null) return 'aborted';
      } catch {
        // The server is still away: look again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, OUTCOME_PAUSE_MS));
    }
    throw new CommitOutcomeUnknownError(cause);
  }

  return {
    ...outside,
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw new StoreUnavailableError(error);
      }
      let broken: unknown;
      // A checked-out client whose connection drops between queries emits 'error': without a listener that
      // would be an uncaught exception. It is only noted; the query in flight (or the next) rejects.
      const onError = (error: unknown): void => {
        broken ??= error;
      };
      client.on('error', onError);
      let xid: string | undefined;
      let committing = false;
      /** COMMIT went out with the last statement (queryLast). */
      let committed = false;
      /** What queryLast already decided after its connection dropped: thrown on as it is. */
      let decided: unknown;
      let result: T | undefined;
      const last: LastStatement = async (sql, params) => {
        if (committing) throw new Error('queryLast ran twice in one transaction');
        const text = `${inlineParameters(sql, params)};\nCOMMIT`;
        committing = true;
        try {
          const results = (await client.query(text)) as unknown as pg.QueryResult[];
          committed = true;
          return results[0]?.rows ?? [];
        } catch (error) {
          if (!isConnectionFault(error) && broken === undefined) {
            // The statement failed: the server skipped the COMMIT after it; the transaction rolls back.
            committing = false;
            throw error;
          }
          broken ??= error;
          try {
            if (xid !== undefined && (await outcomeOf(xid, error)) === 'committed') {
              committed = true;
              return undefined;
            }
            decided = new StoreUnavailableError(error);
          } catch (unknownOutcome) {
            decided = unknownOutcome;
          }
          throw decided;
        }
      };
      try {
        const begun = (await client.query('BEGIN; SELECT pg_current_xact_id()::text AS xid')) as unknown as {
          rows: { xid: string }[];
        }[];
        xid = begun[1]?.rows[0]?.xid;
        result = await fn(clientDb(client, 0, last));
        if (!committed) {
          committing = true;
          await client.query('COMMIT');
        }
        return result;
      } catch (error) {
        if (decided !== undefined && error === decided) throw error;
        if (committed) throw error;
        if (isConnectionFault(error) || broken !== undefined) {
          broken ??= error;
          if (committing && xid !== undefined) {
            if ((await outcomeOf(xid, error)) === 'committed') return result as T;
          }
          throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
        }
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        client.off('error', onError);
        // A client whose connection broke is destroyed rather than put back in the pool.
        client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
      }
    },
    close: () => pool.end(),
  };
}
