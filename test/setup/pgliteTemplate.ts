import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrate, pgliteDb, seed } from '../../src/store/index.js';

/** The PGlite templates of a run: `dumpDataDir()` tarballs that test stores start from. */
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

const root = path.resolve(import.meta.dirname, '../..');
const cache = path.join(root, 'node_modules/.cache/petstore-pglite-template');

/** A hash of everything the templates are made from: PGlite's version, `src/store/**` and this file. */
async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(path.join(root, 'node_modules/@electric-sql/pglite/package.json')));
  hash.update(await readFile(import.meta.filename));
  const store = path.join(root, 'src/store');
  const entries = await readdir(store, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  for (const file of files.sort()) {
    hash.update(path.relative(store, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function dump(pg: PGlite, file: string): Promise<void> {
  const tarball = await pg.dumpDataDir('none');
  await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
}

/** Initialises one PGlite, dumps it, migrates and seeds it with the real `migrate` and `seed`, dumps it again. */
async function build(folder: string): Promise<void> {
  const staging = await mkdtemp(path.join(cache, 'building-'));
  try {
    const pg = await PGlite.create();
    try {
      await dump(pg, path.join(staging, 'empty.tar'));
      const db = pgliteDb(pg);
      await migrate(db);
      await seed(db);
      await dump(pg, path.join(staging, 'seeded.tar'));
    } finally {
      await pg.close();
    }
    await rename(staging, folder);
  } catch (error) {
    // Another run finished the same template first: use theirs.
    if (!existsSync(path.join(folder, 'seeded.tar'))) throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Vitest global setup: provides this run's PGlite templates, so a test file loads a copy in memory
 * (`test/helpers/testStore.ts`) instead of paying initdb (seconds) for each store. They are built once per
 * change of their inputs and kept in `node_modules/.cache` (older ones are removed then).
 */
export default async function setup(project: TestProject): Promise<void> {
  const key = await templateKey();
  const folder = path.join(cache, key);
  if (!existsSync(path.join(folder, 'seeded.tar'))) {
    await mkdir(cache, { recursive: true });
    for (const old of await readdir(cache)) {
      if (/^[0-9a-f]{16}$/.test(old)) await rm(path.join(cache, old), { recursive: true, force: true });
    }
    await build(folder);
  }
  project.provide('pgliteTemplates', {
    empty: path.join(folder, 'empty.tar'),
    seeded: path.join(folder, 'seeded.tar'),
  });
}
