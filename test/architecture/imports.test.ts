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
  'src/domain': { forbidden: /^(koa|@koa\/|src\/(http|client))/, why: 'the domain never imports Koa' },
  'packages/client/src': {
    forbidden: /^(?!generated\/|packages\/client\/src\/|eventsource-parser$)/,
    why: 'the client package runs in a browser and ships alone: generated/ and the SSE parser only (and React in its react/)',
    except: (file, target) => target === 'react' && file.startsWith('packages/client/src/react/'),
  },
  'src/demo': {
    forbidden: /^(?!@petstore-sse\/client$|src\/demo\/)/,
    why: 'the demo page uses the client package as any other project would, and its own files',
  },
  generated: { forbidden: /^(src\/|scripts\/)/, why: 'generated code depends on nothing of ours' },
  scripts: {
    forbidden: /^src\//,
    why: 'codegen never imports src/ (only the soak run, scripts/soak.ts, drives the app in-process)',
    except: (file) => file === 'scripts/soak.ts',
  },
};

describe('import direction (generated → sse → bus/store → domain → http → main)', () => {
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
    expect(LAYERS['src/demo']!.forbidden.test('generated/models.js')).toBe(true);
    expect(LAYERS['src/demo']!.forbidden.test('@petstore-sse/client')).toBe(false);
  });
});
