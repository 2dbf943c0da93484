import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = path.join(root, 'src/demo');

/** Copied as they are beside the bundle; index.html loads them from `/demo/`. */
const STATIC_FILES = ['index.html', 'demo.css', 'favicon.svg'];

/**
 * Builds the demo page from `src/demo` into `outDir`: `demo.js` (main.ts with the client SDK and the
 * generated validators, bundled by esbuild for the browser, with its source map) and the static files.
 * Nothing is loaded from another origin, so the page works offline. `outDir` is replaced in one rename.
 * Returns the size of the bundle in bytes.
 */
export async function buildDemo(outDir: string): Promise<number> {
  const staging = `${outDir}.building-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    const bundle = path.join(staging, 'demo.js');
    await build({
      entryPoints: [path.join(source, 'main.ts')],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    const { size } = await stat(bundle);
    for (const file of STATIC_FILES) await copyFile(path.join(source, file), path.join(staging, file));
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    return size;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? path.join(root, 'dist/demo'));
  const bytes = await buildDemo(outDir);
  const where = path.relative(process.cwd(), outDir) || '.';
  console.log(`demo: built ${where} (demo.js ${Math.round(bytes / 1024)} KiB; npm start serves it at /)`);
}
