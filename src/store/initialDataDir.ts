import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A PGlite data folder right after initdb, written by `npm run build` (scripts/build/pgliteDataDir.ts). */
const TEMPLATE = fileURLToPath(new URL('../../dist/pglite/initdb.tar', import.meta.url));

/**
 * What a new embedded database folder starts from: the build's initialised data folder, so the first start
 * skips initdb (~6 s), or `undefined` (PGlite runs initdb) when the folder already holds a database, is not a
 * plain folder path, or nothing was built. `template` is for tests.
 */
export async function initialDataDir(dataDir: string, template = TEMPLATE): Promise<Blob | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir)) return undefined;
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return undefined;
  const tarball = await readFile(template).catch(() => undefined);
  return tarball && new Blob([new Uint8Array(tarball)]);
}
