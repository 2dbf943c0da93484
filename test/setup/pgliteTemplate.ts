import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrate, pgliteDb, seed } from '../../src/store/index.js';

/** Where this run's PGlite templates are: `dumpDataDir()` tarballs that test stores start from. */
export interface PgliteTemplates {
  /** Right after initdb: no tables yet. */
  empty: string;
  /** Migrated and seeded, as `openStore()` leaves a new database. */
  seeded: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: PgliteTemplates;
  }
}

async function dump(pg: PGlite, file: string): Promise<string> {
  const tarball = await pg.dumpDataDir('none');
  await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  return file;
}

/**
 * Vitest global setup: initialises one PGlite (initdb takes seconds), migrates and seeds it with the real
 * `migrate` and `seed`, and dumps it before and after, once per run. Test files load a copy in memory
 * (`test/helpers/testStore.ts`) instead of paying initdb each.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'petstore-pglite-template-'));
  const removeFolder = () => rm(folder, { recursive: true, force: true });
  const pg = await PGlite.create();
  try {
    const empty = await dump(pg, path.join(folder, 'empty.tar'));
    const db = pgliteDb(pg);
    await migrate(db);
    await seed(db);
    const seeded = await dump(pg, path.join(folder, 'seeded.tar'));
    project.provide('pgliteTemplates', { empty, seeded });
  } catch (error) {
    await removeFolder();
    throw error;
  } finally {
    await pg.close();
  }
  return removeFolder;
}
