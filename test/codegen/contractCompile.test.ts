import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-contract-'));
  await cp(path.join(root, 'spec'), path.join(work, 'spec'), { recursive: true });
  await writeFile(
    path.join(work, 'handler.ts'),
    [
      "import type { InventoryStreamEvents } from './generated/events.js';",
      `import type { EventStream } from '${path.join(root, 'src/sse/index.js')}';`,
      'export function announce(stream: EventStream<InventoryStreamEvents>): boolean {',
      "  const change = { petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', oldStock: 3, newStock: 2, timestamp: new Date().toISOString() };",
      "  return stream.send('stock-change', change, '1');",
      '}',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function codegenAndCompile(): Promise<{ ok: boolean; output: string }> {
  await run(bin('tsx'), [
    path.join(root, 'scripts/codegen/index.ts'),
    '--spec',
    path.join(work, 'spec'),
    '--out',
    path.join(work, 'generated'),
  ]);
  const flags = [
    '--noEmit',
    '--strict',
    '--exactOptionalPropertyTypes',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2023',
    '--lib',
    'ES2023,DOM',
    '--skipLibCheck',
    '--types',
    'node',
    '--typeRoots',
    path.join(root, 'node_modules/@types'),
  ];
  try {
    await run(bin('tsc'), [...flags, path.join(work, 'handler.ts')], { cwd: work });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: (error as { stdout: string }).stdout };
  }
}

async function renameInSpec(from: string, to: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else await writeFile(file, (await readFile(file, 'utf8')).replaceAll(from, to));
    }
  };
  await walk(path.join(work, 'spec'));
}

// Codegen and tsc: about 15 s of CPU, several times that in wall time on a loaded shared machine.
describe('the contract drives the handlers', { timeout: 180_000 }, () => {
  it('compiles a handler that sends the current payload shape', async () => {
    const result = await codegenAndCompile();
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('fails to compile that handler once the payload schema changes in spec/ and codegen runs', async () => {
    await renameInSpec('newStock', 'stockAfter');
    const result = await codegenAndCompile();
    expect(result.ok).toBe(false);
    expect(result.output).toContain('handler.ts');
    expect(result.output).toMatch(/newStock|stockAfter/);
  });
});

/** The routes, and the producers of every log-backed channel (what publishes on the event log). */
const TYPED_BY_THE_SPEC = [
  'src/http/routes/index.ts',
  'src/domain/inventory/inventoryService.ts',
  'src/domain/orders/orderService.ts',
  'src/domain/recommendations/recommendationFeed.ts',
];

/**
 * A copy of the project (spec, src, package.json; node_modules linked) whose generated/ is regenerated from
 * its own spec, and `tsc` over the routes and the producers: they take their paths, parameters, payloads and
 * types from the spec through generated/, so a spec change they do not follow must not compile.
 */
describe('the contract drives the routes and the producers', { timeout: 360_000 }, () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'petstore-routes-'));
    for (const part of ['spec', 'src', 'package.json'])
      await cp(path.join(root, part), path.join(project, part), { recursive: true });
    await symlink(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  async function regenerateAndCompileRoutes(): Promise<{ ok: boolean; output: string }> {
    await run(bin('tsx'), [
      path.join(root, 'scripts/codegen/index.ts'),
      '--spec',
      path.join(project, 'spec'),
      '--out',
      path.join(project, 'generated'),
    ]);
    const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    const { paths: _paths, ...compilerOptions } = tsconfig.compilerOptions;
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: TYPED_BY_THE_SPEC }),
    );
    try {
      await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: project });
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: (error as { stdout: string }).stdout };
    }
  }

  /** Puts the project's spec back as it is in the repo, before a test changes it. */
  async function freshSpec(): Promise<void> {
    await rm(path.join(project, 'spec'), { recursive: true, force: true });
    await cp(path.join(root, 'spec'), path.join(project, 'spec'), { recursive: true });
  }

  it('compiles the routes and producers against the generated code of an unchanged spec', async () => {
    const result = await regenerateAndCompileRoutes();
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('fails to compile the routes once a path parameter is renamed in spec/ and codegen runs', async () => {
    await freshSpec();
    const openapi = path.join(project, 'spec/openapi.yaml');
    const spec = await readFile(openapi, 'utf8');
    const renamed = spec
      .replaceAll('{petId}', '{animalId}')
      .replace(/(PetIdPath:\n\s+name: )petId\n/, '$1animalId\n');
    expect(renamed).toContain('name: animalId');
    await writeFile(openapi, renamed);
    const result = await regenerateAndCompileRoutes();
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/src\/http\/routes\/(pets|inventory)\.ts/);
    expect(result.output).toContain("'petId'");
  });

  it('fails to compile the inventory producer once a payload field is renamed in spec/ and codegen runs', async () => {
    await freshSpec();
    for (const file of ['spec/schemas/StockChange.yaml', 'spec/asyncapi.yaml', 'spec/openapi.yaml']) {
      const text = await readFile(path.join(project, file), 'utf8');
      await writeFile(path.join(project, file), text.replaceAll('newStock', 'stockAfter'));
    }
    const result = await regenerateAndCompileRoutes();
    expect(result.ok).toBe(false);
    const errors = result.output.split('\n').filter((line) => / error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    // Only what the rename breaks, where the inventory events are published.
    for (const error of errors)
      expect(error).toMatch(/^src\/domain\/inventory\/inventoryService\.ts.*(newStock|stockAfter)/);
  });
});

describe('the generated validators', { timeout: 60_000 }, () => {
  it('load and validate under plain Node, outside any bundler', async () => {
    const script = [
      "const m = await import('./generated/validators/schemas.js');",
      "const ok = m.StockChange({ petId: '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90', oldStock: 3, newStock: 2, timestamp: '2026-11-24T10:15:30.123Z' });",
      "const bad = m.PetCreate({ name: 'x'.repeat(101), species: 'cat', breed: 'b', size: 'small', ageMonths: 1, price: 1, stock: 1, traits: ['a', 'a'] });",
      'console.log(JSON.stringify({ ok, bad, keywords: m.PetCreate.errors.map((e) => e.keyword).sort() }));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ ok: true, bad: false, keywords: ['maxLength', 'uniqueItems'] });
  });
});
