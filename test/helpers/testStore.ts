import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, openPglite, openPostgres, openStore, type Store } from '../../src/store/index.js';
import type { PgliteTemplates } from '../setup/pgliteTemplate.js';

/** Which database the store suite runs on: `STORE_BACKEND=postgres` for a Postgres server, else PGlite. */
export const storeBackend: 'pglite' | 'postgres' =
  process.env.STORE_BACKEND === 'postgres' ? 'postgres' : 'pglite';

/** The server database that test databases are created from (trust auth here and in CI). */
export const adminDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Creates an empty database on the Postgres server; `drop()` removes it (and ends its sessions). */
export async function createTestDatabase(
  prefix = 'petstore_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const templates = new Map<keyof PgliteTemplates, Promise<Blob>>();

/**
 * A PGlite data folder made once per run by `test/setup/pgliteTemplate.ts`, to start a database from with
 * `openPglite({ loadDataDir })`.
 */
export function pgliteTemplate(which: keyof PgliteTemplates): Promise<Blob> {
  let template = templates.get(which);
  if (!template) {
    const files = inject('pgliteTemplates');
    if (!files)
      throw new Error('No PGlite template: run the tests with vitest.config.ts, whose globalSetup makes it.');
    template = readFile(files[which]).then((bytes) => new Blob([bytes]));
    templates.set(which, template);
  }
  return template;
}

/** An empty, unmigrated database of the suite's backend. */
export async function openTestDb(): Promise<Db> {
  if (storeBackend === 'pglite') return openPglite({ loadDataDir: await pgliteTemplate('empty') });
  const database = await createTestDatabase();
  const db = await openPostgres({ connectionString: database.url });
  return { ...db, close: () => db.close().finally(() => database.drop()) };
}

export interface TestStoreOptions {
  /** Fill the catalog with the demo pets and users. Default: `true`. */
  seed?: boolean;
  /**
   * Migrate and seed an empty database here rather than start from the run's seeded template (PGlite only;
   * a Postgres store always starts empty). Default: `false`.
   */
  fromScratch?: boolean;
}

/**
 * A migrated and (by default) seeded store of the suite's backend, through `openStore`: PGlite in memory,
 * loaded from the run's seeded template (or, `fromScratch` or unseeded, from the empty one), or a fresh
 * Postgres database.
 */
export async function openTestStore(options: TestStoreOptions = {}): Promise<Store> {
  const seed = options.seed ?? true;
  if (storeBackend === 'pglite') {
    const template = seed && !options.fromScratch ? 'seeded' : 'empty';
    return openStore({ seed, loadDataDir: await pgliteTemplate(template) });
  }
  const database = await createTestDatabase();
  const store = await openStore({ seed, databaseUrl: database.url });
  return { ...store, close: () => store.close().finally(() => database.drop()) };
}

/** The events of a stream in a Postgres database's outbox, oldest first, payloads parsed. */
export async function listEvents(
  databaseUrl: string,
  topic: string,
): Promise<{ seq: number; event: string; data: Record<string, unknown> }[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string; event: string; data: string }>(
      'SELECT seq, event, data FROM events WHERE topic = $1 ORDER BY seq',
      [topic],
    );
    return rows.map((row) => ({ seq: Number(row.seq), event: row.event, data: JSON.parse(row.data) }));
  } finally {
    await client.end();
  }
}

/** Every migration the store ships (`src/store/migrations/NNN_name.sql`), by version, in order. */
export const MIGRATION_VERSIONS: readonly string[] = readdirSync(
  new URL('../../src/store/migrations/', import.meta.url),
)
  .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
  .sort()
  .map((name) => name.replace(/\.sql$/, ''));
