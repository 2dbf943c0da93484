import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Generated files by path relative to the output folder. */
export type FileSet = Map<string, string>;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), relative)));
    else files.push(relative);
  }
  return files.sort();
}

/** Replaces the output folder's content with exactly these files. */
export async function writeFileSet(outDir: string, files: FileSet): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  for (const [relative, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const target = path.join(outDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** The files that differ between the output folder and what codegen would write now. */
export async function diffFileSet(outDir: string, files: FileSet): Promise<string[]> {
  const differences: string[] = [];
  const onDisk = await listFiles(outDir);
  for (const relative of onDisk) {
    if (!files.has(relative)) differences.push(`${relative}: not produced by codegen (remove it)`);
  }
  for (const [relative, content] of files) {
    const current = await readFile(path.join(outDir, relative), 'utf8').catch(() => undefined);
    if (current === undefined) differences.push(`${relative}: missing`);
    else if (current !== content) differences.push(`${relative}: differs from what spec/ generates`);
  }
  return differences;
}
