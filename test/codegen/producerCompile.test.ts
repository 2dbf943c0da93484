import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

/** The producers of every log-backed channel: what publishes on the event log. */
const PRODUCERS = [
  'src/domain/inventory/inventoryService.ts',
  'src/domain/orders/orderService.ts',
  'src/domain/recommendations/recommendationFeed.ts',
];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-producers-'));
  await cp(path.join(root, 'spec'), path.join(work, 'spec'), { recursive: true });
  await cp(path.join(root, 'src'), path.join(work, 'src'), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
  await writeFile(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
  const config = JSON.parse(await readFile(path.join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  delete config.compilerOptions.paths;
  await writeFile(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: config.compilerOptions, files: PRODUCERS }),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Regenerates `generated/` from the work copy of the spec, then type-checks the real producers against it. */
async function codegenAndCompile(): Promise<{ ok: boolean; output: string }> {
  await run(bin('tsx'), [
    path.join(root, 'scripts/codegen/index.ts'),
    '--spec',
    path.join(work, 'spec'),
    '--out',
    path.join(work, 'generated'),
  ]);
  try {
    await run(bin('tsc'), ['-p', path.join(work, 'tsconfig.json')], { cwd: work });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: (error as { stdout: string }).stdout };
  }
}

async function replaceInSpec(from: string, to: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else await writeFile(file, (await readFile(file, 'utf8')).replaceAll(from, to));
    }
  };
  await walk(path.join(work, 'spec'));
}

// Codegen and tsc over the domain: tens of seconds of CPU, minutes on a loaded shared machine. That the real
// tree compiles against the real spec is `npm run typecheck`'s job; this proves the spec drives the producers.
describe('the spec types what the domain publishes', { timeout: 240_000 }, () => {
  it('fails to compile the inventory producer once a payload field is renamed in the spec', async () => {
    await replaceInSpec('newStock', 'stockAfter');
    const result = await codegenAndCompile();
    expect(result.ok).toBe(false);
    expect(result.output).toContain('src/domain/inventory/inventoryService.ts');
    expect(result.output).toMatch(/newStock|stockAfter/);
    // Only what the rename breaks: the setup itself compiles (`npm run typecheck` checks the real tree).
    const errors = result.output.split('\n').filter((line) => / error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/newStock|stockAfter/);
  });
});
