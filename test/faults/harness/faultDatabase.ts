import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The Postgres server the suite makes its databases on (trust auth, as in CI's .ci/services.sh). */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** One committed event, as the outbox holds it. */
export interface PublishedEvent {
  seq: number;
  event: string;
  data: string;
  /** When it was committed (epoch ms, the database's clock: the same machine's). */
  committedAt: number;
}

/** What a stream's history holds: its generation and every event still kept, in order. */
export interface Published {
  generation: string;
  events: PublishedEvent[];
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'faults-harness' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Reads a stream's published events with `query` (Postgres or PGlite, same SQL). */
export async function readPublished(
  query: <R>(sql: string, params?: unknown[]) => Promise<R[]>,
  topic = 'inventory',
): Promise<Published> {
  const [history] = await query<{ generation: string }>('SELECT generation FROM event_history');
  const events = await query<PublishedEvent>(
    `SELECT seq::int AS seq, event, data, (extract(epoch FROM committed_at) * 1000)::float8 AS "committedAt"
     FROM events WHERE topic = $1 ORDER BY seq`,
    [topic],
  );
  return { generation: history?.generation ?? '', events };
}

/** A Postgres database of one scenario's own (`faults_<random>`), dropped by `drop()`. */
export class FaultDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(): Promise<FaultDatabase> {
    const name = `faults_${randomBytes(6).toString('hex')}`;
    await withClient(ADMIN_URL, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return new FaultDatabase(name, url.toString());
  }

  /** Runs one query on a connection of its own (so terminating the app's backends never hits it). */
  query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return withClient(this.url, async (client) => (await client.query(sql, params)).rows as R[]);
  }

  published(topic = 'inventory'): Promise<Published> {
    return readPublished((sql, params) => this.query(sql, params), topic);
  }

  /** Terminates every backend of this database but the caller's; resolves with how many. */
  async terminateBackends(): Promise<number> {
    const rows = await withClient(
      ADMIN_URL,
      async (admin) =>
        (
          await admin.query(
            `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
             WHERE datname = $1 AND pid <> pg_backend_pid()`,
            [this.name],
          )
        ).rows as { done: boolean }[],
    );
    return rows.filter((row) => row.done).length;
  }

  /** Drops it, ending the sessions still on it. */
  async drop(): Promise<void> {
    await withClient(ADMIN_URL, (admin) => admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}
