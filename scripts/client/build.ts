import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { buildIfChanged } from '../build/inputsHash.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The client package: `packages/client`, built into its `dist/`. */
export const CLIENT_DIR = path.join(root, 'packages/client');
const source = path.join(CLIENT_DIR, 'src');

/** Entry points by output name: the client, and the React hook apart so that React stays optional. */
const ENTRIES = { index: path.join(source, 'index.ts'), 'react/index': path.join(source, 'react/index.ts') };
/** Left to the consumer's installer: the one dependency and the optional peer. */
const EXTERNAL = ['eventsource-parser', 'react'];

/**
 * ESM JavaScript of both entries, each one self-contained file: the generated validators and the few Ajv
 * runtime helpers they call (string length, formats, deep equality) are bundled in, so eventsource-parser is
 * the package's only run-time dependency.
 */
async function buildJavaScript(outDir: string): Promise<void> {
  await build({
    entryPoints: ENTRIES,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: EXTERNAL,
    legalComments: 'inline',
    logLevel: 'warning',
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * `.d.ts` files of the client and of the generated modules it imports, laid out as the package ships them:
 * `dist/*.d.ts` beside the JavaScript and `dist/generated/*.d.ts`. tsc writes them under the repo's layout
 * (`packages/client/src`, `generated`), so each import of `…/generated/` is pointed at `dist/generated/`.
 */
async function buildDeclarations(outDir: string): Promise<void> {
  const emitted = `${outDir}.types`;
  try {
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [
      tsc,
      '-p',
      path.join(CLIENT_DIR, 'tsconfig.build.json'),
      '--outDir',
      emitted,
    ]);
    await cp(path.join(emitted, 'generated'), path.join(outDir, 'generated'), { recursive: true });
    const validators = path.join(root, 'generated/validators/schemas.d.ts');
    await cp(validators, path.join(outDir, 'generated/validators/schemas.d.ts'));
    const clientTypes = path.join(emitted, 'packages/client/src');
    for (const file of await filesUnder(clientTypes)) {
      const relative = path.relative(clientTypes, file);
      const toGenerated = path.relative(
        path.dirname(path.join(outDir, relative)),
        path.join(outDir, 'generated'),
      );
      const text = (await readFile(file, 'utf8')).replace(
        /(['"])(?:\.\.\/)+generated\//g,
        (_match, quote: string) => `${quote}${toGenerated.startsWith('.') ? '' : './'}${toGenerated}/`,
      );
      await mkdir(path.dirname(path.join(outDir, relative)), { recursive: true });
      await writeFile(path.join(outDir, relative), text);
    }
  } finally {
    await rm(emitted, { recursive: true, force: true });
  }
}

/** What the package is built from: a change to any of these rebuilds it. */
export const CLIENT_INPUTS = [
  source,
  path.join(root, 'generated'),
  path.join(CLIENT_DIR, 'package.json'),
  path.join(CLIENT_DIR, 'tsconfig.build.json'),
  path.join(root, 'tsconfig.json'),
  fileURLToPath(import.meta.url),
];

/**
 * Builds `packages/client/dist` (JavaScript and declarations) unless it was built from the same inputs;
 * `force` builds anyway. Returns whether it built.
 */
export async function buildClientPackage(options: { force?: boolean } = {}): Promise<boolean> {
  const outDir = path.join(CLIENT_DIR, 'dist');
  const build = async (staging: string) => {
    await Promise.all([buildJavaScript(staging), buildDeclarations(staging)]);
  };
  return buildIfChanged(outDir, CLIENT_INPUTS, build, options);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildClientPackage({ force: process.argv.includes('--force') });
  const where = path.relative(process.cwd(), path.join(CLIENT_DIR, 'dist')) || '.';
  console.log(built ? `client: built ${where}` : `client: ${where} is up to date`);
}
