import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file in a build's output folder that records the hash of the inputs it was built from. */
const STAMP = '.inputs-hash';

async function filesOf(entry: string): Promise<string[]> {
  const info = await stat(entry).catch(() => undefined);
  if (info === undefined) return [];
  if (!info.isDirectory()) return [entry];
  const entries = await readdir(entry, { recursive: true, withFileTypes: true });
  return entries.filter((item) => item.isFile()).map((item) => path.join(item.parentPath, item.name));
}

/**
 * One hash over the names and contents of every file under `inputs` (files or folders), so a build can be
 * skipped when nothing it reads has changed. A missing input counts as empty.
 */
export async function hashInputs(inputs: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(inputs.map(filesOf))).flat().sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether `outDir` was built from exactly these inputs (its stamp matches `hash`). */
export async function isBuiltFrom(outDir: string, hash: string): Promise<boolean> {
  const stamp = await readFile(path.join(outDir, STAMP), 'utf8').catch(() => '');
  return stamp === hash;
}

/** Records in `outDir` that it was built from the inputs hashed as `hash`. */
export async function stampBuild(outDir: string, hash: string): Promise<void> {
  await writeFile(path.join(outDir, STAMP), hash);
}

/**
 * Runs `build(staging)` unless `outDir` was already built from these inputs; the build writes into a staging
 * folder that is stamped and then renamed over `outDir`, so a stamp never describes a half-built folder.
 * `force` builds even so. Returns whether it built.
 */
export async function buildIfChanged(
  outDir: string,
  inputs: readonly string[],
  build: (staging: string) => Promise<void>,
  options: { force?: boolean } = {},
): Promise<boolean> {
  const hash = await hashInputs(inputs);
  if (!options.force && (await isBuiltFrom(outDir, hash))) return false;
  const staging = `${outDir}.building-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await build(staging);
    await stampBuild(staging, hash);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    return true;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
