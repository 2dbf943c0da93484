import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of the bench's own on a Postgres server (`BENCH_PG_URL`, trust auth), created for the run and
 * dropped at its end.
 */
export class PostgresDatabase {
  readonly name: string;
  readonly url: string;
  readonly #adminUrl: string;

  private constructor(adminUrl: string, name: string) {
    this.#adminUrl = adminUrl;
    this.name = name;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    this.url = url.toString();
  }

  static async create(adminUrl: string, label: string, workload = 'w7'): Promise<PostgresDatabase> {
    const name = `bench_${workload}_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
    await PostgresDatabase.#admin(adminUrl, `CREATE DATABASE ${name}`);
    return new PostgresDatabase(adminUrl, name);
  }

  /** True when the server answers at `adminUrl`. */
  static reachable(adminUrl: string): Promise<boolean> {
    return PostgresDatabase.#admin(adminUrl, 'SELECT 1').then(
      () => true,
      () => false,
    );
  }

  /** One value of one row of `sql` run in this database (undefined when it fails, e.g. no such table). */
  async value(sql: string): Promise<unknown> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => {});
    try {
      await client.connect();
      const result = await client.query(sql);
      return result.rows[0] ? Object.values(result.rows[0])[0] : undefined;
    } catch {
      return undefined;
    } finally {
      await client.end().catch(() => {});
    }
  }

  drop(): Promise<void> {
    return PostgresDatabase.#admin(this.#adminUrl, `DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  static async #admin(adminUrl: string, sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  }
}
