import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(relative)));
    else if (/\.(ts|js)$/.test(entry.name)) files.push(relative);
  }
  return files;
}

/** Every import of a folder's files, as the repo-relative folder it lands in or the package name. */
async function importsOf(dir: string): Promise<{ file: string; target: string }[]> {
  const found: { file: string; target: string }[] = [];
  for (const file of await sourceFiles(dir)) {
    const text = await readFile(path.join(root, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      const target = specifier.startsWith('.')
        ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
        : specifier;
      found.push({ file, target });
    }
  }
  return found;
}

const LAYERS: Record<
  string,
  { forbidden: RegExp; why: string; except?: (file: string, target: string) => boolean }
> = {
  'src/sse': {
    forbidden: /^(koa|@koa\/|ioredis|pg$|@electric-sql\/|src\/(bus|store|domain|http|client))/,
    why: 'the protocol knows no domain, Koa, Redis or storage',
  },
  'src/bus': {
    forbidden: /^(koa|@koa\/|src\/(store|domain|http|client))/,
    why: 'the event log sits below the domain',
  },
  'src/store': {
    forbidden: /^(koa|@koa\/|src\/(bus|domain|http|client))/,
    why: 'data access sits below the domain',
  },
  'src/domain': {
    forbidden: /^(koa|@koa\/|src\/(http|client|config|system|main))/,
    why: 'the domain never imports Koa, and sits below the configuration and the composition',
  },
  'src/config': {
    forbidden: /^(koa|@koa\/|src\/(sse|bus|store|domain|http|client|system|main))/,
    why: 'the configuration is read from the environment and sits below http: it imports nothing of ours',
  },
  'src/http': {
    forbidden: /^src\/(bus|store|system|main|client)/,
    why: 'http reaches the event log and the store (and their errors) only through the domain',
  },
  'src/system': {
    forbidden: /^src\/(main|client|demo)/,
    why: 'the composition wires the server; only main.ts sits above it',
  },
  'packages/client/src': {
    forbidden: /^(?!generated\/|packages\/client\/src\/|eventsource-parser$)/,
    why: 'the client package runs in a browser and ships alone: generated/ and the SSE parser only (and React in its react/)',
    except: (file, target) => target === 'react' && file.startsWith('packages/client/src/react/'),
  },
  'src/demo': {
    forbidden: /^(?!@petstore-sse\/client$|src\/demo\/)/,
    why: 'the demo page uses the client package as any other project would, and its own files',
  },
  'src/console': {
    forbidden:
      /^(?!@petstore-sse\/client$|src\/console\/|src\/demo\/(element|demoToken)\.js$|generated\/(channels|validators\/schemas)\.js$)/,
    why: 'the docs console uses the client package as any page would, the generated validators to check each frame, and the demo page’s element and token helpers',
  },
  generated: { forbidden: /^(src\/|scripts\/)/, why: 'generated code depends on nothing of ours' },
  scripts: {
    forbidden: /^src\//,
    why: 'codegen never imports src/ (only the soak run, scripts/soak.ts, drives the app in-process)',
    except: (file) => file === 'scripts/soak.ts',
  },
};

/** Who may import a composing module: the composition root alone builds the whole system. */
const COMPOSERS: Record<string, { importers: RegExp; why: string }> = {
  'src/system': {
    importers: /^src\/main\.ts$/,
    why: 'only main.ts starts a system (tests, soak, bench do too)',
  },
  'src/http/app': { importers: /^src\/system\//, why: 'only createSystem builds the app' },
  'src/bus': { importers: /^src\/(bus|domain|system)\//, why: 'the event log is opened by createSystem' },
  'src/store': { importers: /^src\/(store|domain|system)\//, why: 'the store is opened by createSystem' },
};

/** The import cycles among `files` (relative imports only), each as the files along it. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(path.slice(path.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Each src file's relative imports, as the files they name (`.js` specifiers point at `.ts` sources). */
async function importGraph(): Promise<Map<string, string[]>> {
  const edges = new Map<string, string[]>();
  for (const { file, target } of await importsOf('src')) {
    const list = edges.get(file) ?? [];
    edges.set(file, list);
    if (target.startsWith('src/')) list.push(target.replace(/\.js$/, '.ts'));
  }
  return edges;
}

describe('import direction (generated → sse → bus/store → domain → config → http → system → main)', () => {
  it.each(Object.entries(COMPOSERS))('only the composition imports %s', async (module, rule) => {
    const offending = (await importsOf('src')).filter(
      ({ file, target }) =>
        (target === module || target.startsWith(`${module}/`) || target === `${module}.js`) &&
        !file.startsWith(`${module}/`) &&
        !rule.importers.test(file),
    );
    expect(offending, rule.why).toEqual([]);
  });

  it('keeps main.ts to env, createSystem, listen and signals: it imports only src/config and src/system', async () => {
    const imports = (await importsOf('src')).filter(({ file }) => file === 'src/main.ts');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(({ target }) => !/^src\/(config|system)\//.test(target))).toEqual([]);
  });

  it('has no import cycle in src/', async () => {
    expect(cycles(await importGraph())).toEqual([]);
  });

  it('finds a cycle, so the check above can fail', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
    ]);
    expect(cycles(edges)).toEqual([['a.ts', 'b.ts']]);
  });

  it.each(Object.entries(LAYERS))('%s imports nothing it must not', async (dir, rule) => {
    const browserSafe = dir === 'packages/client/src' || dir === 'src/demo';
    const offending = (await importsOf(dir)).filter(
      ({ file, target }) =>
        rule.forbidden.test(target) &&
        (browserSafe || !target.startsWith('node:')) &&
        !rule.except?.(file, target),
    );
    expect(offending, rule.why).toEqual([]);
  });

  it('catches a forbidden import, so the rules above can fail', () => {
    expect(LAYERS['src/sse']!.forbidden.test('src/http/app.ts')).toBe(true);
    expect(LAYERS['src/domain']!.forbidden.test('koa')).toBe(true);
    const client = LAYERS['packages/client/src']!;
    expect(client.forbidden.test('node:fs')).toBe(true);
    expect(client.forbidden.test('koa')).toBe(true);
    expect(client.forbidden.test('generated/events.js')).toBe(false);
    expect(client.except?.('packages/client/src/react/useEventStream.ts', 'react')).toBe(true);
    expect(client.except?.('packages/client/src/subscribe.ts', 'react')).toBe(false);
    expect(LAYERS['src/demo']!.forbidden.test('src/http/app.ts')).toBe(true);
    expect(LAYERS['src/demo']!.forbidden.test('node:fs')).toBe(true);
    expect(LAYERS['src/config']!.forbidden.test('src/http/auth/index.js')).toBe(true);
    expect(LAYERS['src/http']!.forbidden.test('src/store/index.js')).toBe(true);
    expect(LAYERS['src/http']!.forbidden.test('src/bus/index.js')).toBe(true);
    expect(LAYERS['src/http']!.forbidden.test('src/domain/index.js')).toBe(false);
    expect(COMPOSERS['src/http/app']!.importers.test('src/main.ts')).toBe(false);
    expect(COMPOSERS['src/store']!.importers.test('src/http/routes/pets.ts')).toBe(false);
    expect(LAYERS['src/demo']!.forbidden.test('generated/models.js')).toBe(true);
    expect(LAYERS['src/demo']!.forbidden.test('@petstore-sse/client')).toBe(false);
  });
});
