import { readdir, readFile } from 'node:fs/promises';
import type { Db } from './Db.js';

/** Where to find migrations. */
export interface MigrateOptions {
  /** A folder of `NNN_name.sql` files. Default: `src/store/migrations/` next to this module. */
  directory?: URL | undefined;
}

const DEFAULT_DIRECTORY = new URL('./migrations/', import.meta.url);
const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;
const MIGRATION_LOCK = 7_450_201;

async function migrationFiles(directory: URL): Promise<string[]> {
  const names = await readdir(directory);
  return names.filter((name) => MIGRATION_FILE.test(name)).sort();
}

async function lockMigrations(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
}

async function ensureLedger(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
}

async function applyOne(db: Db, directory: URL, file: string): Promise<boolean> {
  const version = file.replace(/\.sql$/, '');
  const sql = await readFile(new URL(file, directory), 'utf8');
  return db.transaction(async (tx) => {
    await lockMigrations(tx);
    const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
    if (done.length > 0) return false;
    await tx.exec(sql);
    await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    return true;
  });
}

/**
 * Applies the migrations that have not run yet, in file name order, each in its own transaction, and records
 * each in `schema_migrations`. Safe to run on every start and from several processes at once (an advisory
 * lock serialises them). Returns the versions applied by this call, e.g. `['001_initial']`.
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<string[]> {
  const directory = options.directory ?? DEFAULT_DIRECTORY;
  await ensureLedger(db);
  const applied: string[] = [];
  for (const file of await migrationFiles(directory)) {
    if (await applyOne(db, directory, file)) applied.push(file.replace(/\.sql$/, ''));
  }
  return applied;
}
