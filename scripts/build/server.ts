import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildIfChanged } from './inputsHash.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the compiled server goes; `npm start` runs `node dist/server/main.js`. */
export const SERVER_DIR = path.join(root, 'dist/server');

/** What the server is built from: a change to any of these rebuilds it. */
const SERVER_INPUTS = [
  path.join(root, 'src'),
  path.join(root, 'generated'),
  path.join(root, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];

/**
 * Keeps `import.meta.url` of every bundled module pointing at its source file, so what a module finds next
 * to itself (`src/store/migrations/`, `dist/demo`, `dist/docs`) is found from the bundle in `dist/server` too.
 */
function moduleUrlsOfSources(outDir: string): Plugin {
  return {
    name: 'module-urls-of-sources',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
        const contents = await readFile(file, 'utf8');
        if (!contents.includes('import.meta.url')) return undefined;
        const fromBundle = path.relative(outDir, file).split(path.sep).join('/');
        const sourceUrl = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: contents.replaceAll('import.meta.url', sourceUrl), loader: 'ts' };
      });
    },
  };
}

/** The adapters the server `import()`s only when configured, each with the package it loads. */
const LAZY_ADAPTERS = [
  'redis/redisLiveLog', // ioredis (REDIS_URL), re-exported by src/bus/index.ts
  'postgresDb', // pg (DATABASE_URL), re-exported by src/store/index.ts
];

/**
 * Leaves the lazily loaded adapters out of the re-exports of `src/bus/index.ts` and `src/store/index.ts` in
 * the server bundle: esbuild would otherwise put them (and ioredis, pg) in a chunk that `main.js` imports at
 * start, though only `createSystem`'s `import()` uses them. Should the server ever import one statically
 * through an index, the build fails ("No matching export") instead of slowing every start.
 */
function lazyAdapters(): Plugin {
  const reExport = new RegExp(`^export \\{[^}]*\\} from '\\./(${LAZY_ADAPTERS.join('|')})\\.js';\\n`, 'gm');
  return {
    name: 'lazy-adapters',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[/\\]src[/\\](bus|store)[/\\]index\.ts$/ }, async ({ path: file }) => ({
        contents: (await readFile(file, 'utf8')).replace(reExport, ''),
        loader: 'ts',
      }));
    },
  };
}

/**
 * The server as one ES module, `dist/server/main.js` (with its source map): `src/main.ts` and everything it
 * imports from `src/` and `generated/` (the JSON specs inlined), packages left to `node_modules`. One file
 * to load instead of ~200 saves start-up time, and nothing is transpiled at run time.
 */
async function bundleServer(outDir: string): Promise<void> {
  await build({
    entryPoints: { main: path.join(root, 'src/main.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Modules imported with `import()` (the Redis and Postgres adapters) go to chunks of their own, loaded
    // with their packages (ioredis, pg) only when REDIS_URL or DATABASE_URL asks for them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    plugins: [lazyAdapters(), moduleUrlsOfSources(SERVER_DIR)],
    logLevel: 'warning',
  });
  await refuseModuleUrlsInChunks(path.join(outDir, 'chunks'));
}

/**
 * `moduleUrlsOfSources` makes each `import.meta.url` relative to `dist/server/`, which is wrong one folder
 * down: a module that finds files next to itself must not land in a chunk.
 */
async function refuseModuleUrlsInChunks(chunksDir: string): Promise<void> {
  const names = await readdir(chunksDir).catch(() => []);
  for (const name of names.filter((file) => file.endsWith('.js'))) {
    if ((await readFile(path.join(chunksDir, name), 'utf8')).includes('import.meta.url'))
      throw new Error(
        `dist/server/chunks/${name} uses import.meta.url, which the build points at dist/server/: keep the module that reads files next to itself out of the lazily imported adapters`,
      );
  }
}

/** Builds `dist/server` unless it was built from the same inputs (`force`: anyway). Returns whether it built. */
export function buildServer(options: { force?: boolean } = {}): Promise<boolean> {
  return buildIfChanged(SERVER_DIR, SERVER_INPUTS, bundleServer, options);
}
