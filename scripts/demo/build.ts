import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildIfChanged } from '../build/inputsHash.js';
import { buildClientPackage, CLIENT_DIR } from '../client/build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = path.join(root, 'src/demo');

/** Copied as they are beside the bundle; index.html loads them from `/demo/`. */
const STATIC_FILES = ['index.html', 'demo.css', 'favicon.svg'];

/** What the page is built from: a change to any of these rebuilds it. */
const DEMO_INPUTS = [source, path.join(CLIENT_DIR, 'dist'), fileURLToPath(import.meta.url)];

/**
 * `demo.js` (main.ts with the client package, bundled by esbuild for the browser, with its source map) and
 * the static files, written into `outDir`. The page imports `@petstore-sse/client` as any other project
 * would: esbuild resolves it through `node_modules` to the package's built `dist/` (the repo's tsconfig
 * `paths`, which point the typechecker at the package's sources, are not used here).
 */
async function bundleDemo(outDir: string): Promise<number> {
  const bundle = path.join(outDir, 'demo.js');
  await build({
    entryPoints: [path.join(source, 'main.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    tsconfigRaw: {},
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) await copyFile(path.join(source, file), path.join(outDir, file));
  return (await stat(bundle)).size;
}

/**
 * Builds the demo page from `src/demo` into `outDir` (replaced in one rename), after building the client
 * package if its sources changed. Nothing is loaded from another origin, so the page works offline.
 * Unless `force`, skips the build when `outDir` was built from the same inputs. Returns whether it built.
 */
export async function buildDemo(outDir: string, options: { force?: boolean } = {}): Promise<boolean> {
  await buildClientPackage();
  return buildIfChanged(outDir, DEMO_INPUTS, async (staging) => void (await bundleDemo(staging)), options);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const outDir = path.resolve(values.out ?? path.join(root, 'dist/demo'));
  const built = await buildDemo(outDir, { force: values.force });
  const where = path.relative(process.cwd(), outDir) || '.';
  console.log(built ? `demo: built ${where} (npm start serves it at /)` : `demo: ${where} is up to date`);
}
