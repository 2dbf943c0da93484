import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { initialDataDir } from '../../src/store/initialDataDir.js';
import { openStore } from '../../src/store/openStore.js';

let work: string;
/** A data folder right after initdb, as `npm run build` writes `dist/pglite/initdb.tar`. */
const template = inject('pgliteTemplates').empty;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-initial-data-dir-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('initialDataDir', () => {
  it('gives a new data folder the initialised template, and a migrated, seeded store opens from it', async () => {
    const dataDir = path.join(work, 'new');
    const tarball = await initialDataDir(dataDir, template);
    expect(tarball?.size).toBe((await readFile(template)).length);
    const store = await openStore({ dataDir, loadDataDir: tarball });
    try {
      expect((await store.pets.list()).total).toBeGreaterThan(50);
    } finally {
      await store.close();
    }
    expect(await initialDataDir(dataDir, template)).toBeUndefined();
  }, 120_000);

  it('leaves a folder that holds a database, a non-folder location and a missing template alone', async () => {
    const existing = path.join(work, 'existing');
    await mkdir(existing);
    await writeFile(path.join(existing, 'PG_VERSION'), '17\n');
    expect(await initialDataDir(existing, template)).toBeUndefined();
    expect(await initialDataDir('memory://petstore', template)).toBeUndefined();
    expect(await initialDataDir(path.join(work, 'other'), path.join(work, 'no-such.tar'))).toBeUndefined();
  });
});
