import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildIfChanged } from '../build/inputsHash.js';
import { buildClientPackage } from '../client/build.js';
import { CONSOLE_INPUTS, writeConsole } from './console.js';
import { asyncApiDocsView } from './docsView.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** Where @redocly/cli (a dev dependency) is installed, or `undefined` without dev dependencies. */
function redoclyDir(): string | undefined {
  try {
    return path.dirname(require.resolve('@redocly/cli/package.json'));
  } catch {
    // Not installed (`npm ci --omit=dev`): the caller decides whether that is an error.
    return undefined;
  }
}
/** Redoc 3 as shipped inside @redocly/cli: the bundle `build-docs` pages load. */
const BUNDLE = 'redoc.standalone.js';
const CDN_BUNDLE = /https:\/\/cdn\.redocly\.com\/redoc\/v([\d.]+)\/bundles\/redoc\.standalone\.js/g;

/** Runs `redocly build-docs` without telemetry or update checks (nothing here reaches the network). */
async function buildDocs(cliDir: string, spec: string, output: string, title: string): Promise<void> {
  await run(
    process.execPath,
    [path.join(cliDir, 'bin/cli.js'), 'build-docs', spec, '-o', output, '--title', title],
    {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
}

/**
 * Points a built page at the Redoc bundle beside it instead of the CDN, and checks the bundle is the
 * version the page was built for. Fails when the page still names any other host.
 */
async function pointAtLocalBundle(page: string, bundleVersion: string): Promise<void> {
  const html = await readFile(page, 'utf8');
  const versions = new Set([...html.matchAll(CDN_BUNDLE)].map((match) => match[1]));
  if (versions.size !== 1 || !versions.has(bundleVersion)) {
    throw new Error(
      `${page} loads Redoc ${[...versions].join(', ') || '(none found)'} but the bundle in @redocly/cli is ${bundleVersion}`,
    );
  }
  const local = html
    .replaceAll(CDN_BUNDLE, `./${BUNDLE}`)
    .replace('<head>', '<head>\n    <link rel="icon" href="data:," />');
  const remote =
    /<(?:script|img|iframe)\s[^>]*src="https?:[^"]*"|<link\s[^>]*href="https?:[^"]*"|from\s*"https?:[^"]*"/.exec(
      local,
    );
  if (remote) throw new Error(`${page} still loads ${remote[0]}: the docs must work offline`);
  await writeFile(page, local);
}

async function bundleVersion(bundle: string): Promise<string> {
  const header = (await readFile(bundle, 'utf8')).slice(0, 400);
  const version = /Version: ([\d.]+)/.exec(header)?.[1];
  if (!version)
    throw new Error(`${bundle} has no "Version:" header; @redocly/cli changed how it ships Redoc`);
  return version;
}

/** What the site is built from: a change to any of these rebuilds it. */
function docsInputs(cliDir: string): string[] {
  return [
    path.join(root, 'generated/specs'),
    path.join(cliDir, 'package.json'),
    path.dirname(fileURLToPath(import.meta.url)),
    ...CONSOLE_INPUTS,
  ];
}

/** The site's pages and the Redoc bundle they load, written into `outDir`. */
async function writeDocsSite(cliDir: string, outDir: string): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-'));
  try {
    const asyncapi = JSON.parse(await readFile(path.join(root, 'generated/specs/asyncapi.json'), 'utf8'));
    const view = path.join(work, 'asyncapi.json');
    await writeFile(view, JSON.stringify(asyncApiDocsView(asyncapi)));
    const openapi = path.join(root, 'generated/specs/openapi.json');
    await Promise.all([
      buildDocs(cliDir, openapi, path.join(outDir, 'index.html'), 'Petstore SSE API'),
      buildDocs(cliDir, view, path.join(outDir, 'asyncapi.html'), 'Petstore SSE streams'),
    ]);
    const bundle = path.join(cliDir, 'lib/chunks', BUNDLE);
    const version = await bundleVersion(bundle);
    await copyFile(bundle, path.join(outDir, BUNDLE));
    for (const page of ['index.html', 'asyncapi.html'])
      await pointAtLocalBundle(path.join(outDir, page), version);
    await writeConsole(outDir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Builds the docs site from the bundled contract in generated/specs: `index.html` (REST, OpenAPI 3.1),
 * `asyncapi.html` (channels and events), the Redoc bundle they load, and the stream consoles (`console/`,
 * see `console.ts`), so it works offline. `outDir` is replaced in one rename; unless `force`, the build is
 * skipped when it was built from the same inputs. Returns whether it built.
 */
export async function buildDocsSite(outDir: string, options: { force?: boolean } = {}): Promise<boolean> {
  const cliDir = redoclyDir();
  if (!cliDir) throw new Error('@redocly/cli is not installed: run `npm ci` (with dev dependencies)');
  // The stream consoles bundle the client package as any page would: from its built dist/.
  await buildClientPackage();
  return buildIfChanged(outDir, docsInputs(cliDir), (staging) => writeDocsSite(cliDir, staging), options);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'if-possible': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const outDir = path.resolve(values.out ?? path.join(root, 'dist/docs'));
  if (values['if-possible'] && !redoclyDir()) {
    console.warn('docs: not built (@redocly/cli, a dev dependency, is not installed); /docs answers 404');
  } else {
    const built = await buildDocsSite(outDir, { force: values.force });
    const where = path.relative(process.cwd(), outDir) || '.';
    console.log(
      built ? `docs: built ${where} (npm start serves it at /docs)` : `docs: ${where} is up to date`,
    );
  }
}
