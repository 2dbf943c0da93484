import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { buildIfChanged } from './inputsHash.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the template goes; `src/store/initialDataDir.ts` reads `initdb.tar` from there. */
export const PGLITE_TEMPLATE_DIR = path.join(root, 'dist/pglite');

/**
 * A PGlite data folder right after initdb, as a `dumpDataDir()` tarball: a new `DATA_DIR` starts from a copy
 * of it instead of running initdb (~6 s) on the first start. It holds no table or row of ours: migrations and
 * the seed still run on that first start. Rebuilt when the PGlite version changes.
 */
async function dumpInitialisedDataDir(outDir: string): Promise<void> {
  const pg = await PGlite.create();
  try {
    const tarball = await pg.dumpDataDir('none');
    await writeFile(path.join(outDir, 'initdb.tar'), new Uint8Array(await tarball.arrayBuffer()));
  } finally {
    await pg.close();
  }
}

/** Builds `dist/pglite/initdb.tar` unless the PGlite version is unchanged. Returns whether it built. */
export function buildPgliteTemplate(options: { force?: boolean } = {}): Promise<boolean> {
  const pglite = path.join(root, 'node_modules/@electric-sql/pglite/package.json');
  const inputs = [pglite, fileURLToPath(import.meta.url)];
  return buildIfChanged(PGLITE_TEMPLATE_DIR, inputs, dumpInitialisedDataDir, options);
}
