import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Db, openPglite, openPostgres, openStore, type Store } from '../../src/store/index.js';

/** Which database the store suite runs on: `STORE_BACKEND=postgres` for a Postgres server, else PGlite. */
export const storeBackend: 'pglite' | 'postgres' =
  process.env.STORE_BACKEND === 'postgres' ? 'postgres' : 'pglite';

/** The server database that test databases are created from (trust auth here and in CI). */
export const adminDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Creates an empty database on the Postgres server; `drop()` removes it (and ends its sessions). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `petstore_test_${randomUUID().replaceAll('-', '')}`;
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

/** An empty, unmigrated database of the suite's backend. */
export async function openTestDb(): Promise<Db> {
  if (storeBackend === 'pglite') return openPglite();
  const database = await createTestDatabase();
  const db = await openPostgres({ connectionString: database.url });
  return { ...db, close: () => db.close().finally(() => database.drop()) };
}

/** A migrated and (by default) seeded store of the suite's backend: PGlite in memory, or a fresh Postgres database. */
export async function openTestStore(options: { seed?: boolean } = {}): Promise<Store> {
  if (storeBackend === 'pglite') return openStore(options);
  const database = await createTestDatabase();
  const store = await openStore({ ...options, databaseUrl: database.url });
  return { ...store, close: () => store.close().finally(() => database.drop()) };
}
