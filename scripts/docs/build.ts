import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildIfChanged } from '../build/inputsHash.js';
import { buildClientPackage } from '../client/build.js';
import { withCodeSamples } from './codeSamples.js';
import { CONSOLE_INPUTS, writeConsole } from './console.js';
import { asyncApiDocsView, openApiDocsView } from './docsView.js';
import { writeGuidePages } from './guidePages.js';
import { GUIDE_PAGES } from './navigation.js';
import { SITE_CSS, siteBar } from './pageShell.js';
import { localRedocBundle, REDOC_ASSETS } from './redocBundle.js';
import { finishRedocPage } from './redocPage.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
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
 * version the page was built for; then finishes it as the site serves it (see {@link finishRedocPage}),
 * with its contract in `<name>.definition.js` beside it. Fails when the page still names any other host.
 */
async function finishPage(
  outDir: string,
  name: string,
  pagePath: string,
  bundleVersion: string,
): Promise<void> {
  const file = path.join(outDir, `${name}.html`);
  const html = await readFile(file, 'utf8');
  const versions = new Set([...html.matchAll(CDN_BUNDLE)].map((match) => match[1]));
  if (versions.size !== 1 || !versions.has(bundleVersion)) {
    throw new Error(
      `${file} loads Redoc ${[...versions].join(', ') || '(none found)'} but the bundle in @redocly/cli is ${bundleVersion}`,
    );
  }
  const definitionFile = `${name}.definition.js`;
  const siteCss = await readFile(path.join(here, SITE_CSS), 'utf8');
  const page = finishRedocPage(html.replaceAll(CDN_BUNDLE, `./${BUNDLE}`), {
    pagePath,
    bundle: BUNDLE,
    definitionFile,
    siteCss,
  });
  const remote =
    /<(?:script|img|iframe)\s[^>]*src="https?:[^"]*"|<link\s[^>]*href="https?:[^"]*"|from\s*"https?:[^"]*"/.exec(
      page.html,
    );
  if (remote) throw new Error(`${file} still loads ${remote[0]}: the docs must work offline`);
  await Promise.all([
    writeFile(file, page.html),
    writeFile(path.join(outDir, definitionFile), page.definitionModule),
  ]);
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
    ...new Set(GUIDE_PAGES.map((page) => path.join(root, page.source))),
    ...CONSOLE_INPUTS,
  ];
}

/** The site's pages and the Redoc bundle they load, written into `outDir`. */
async function writeDocsSite(cliDir: string, outDir: string): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-'));
  try {
    const readSpec = async (name: string) =>
      JSON.parse(await readFile(path.join(root, 'generated/specs', name), 'utf8'));
    const [asyncapi, openapi] = await Promise.all([readSpec('asyncapi.json'), readSpec('openapi.json')]);
    const asyncView = path.join(work, 'asyncapi.json');
    const restView = path.join(work, 'openapi.json');
    await Promise.all([
      writeFile(asyncView, JSON.stringify(asyncApiDocsView(asyncapi))),
      writeFile(restView, JSON.stringify(openApiDocsView(openapi, (doc) => withCodeSamples(doc, asyncapi)))),
    ]);
    await Promise.all([
      buildDocs(cliDir, restView, path.join(outDir, 'index.html'), 'Petstore SSE API'),
      buildDocs(cliDir, asyncView, path.join(outDir, 'asyncapi.html'), 'Petstore SSE streams'),
      writeGuidePages(root, outDir),
      copyFile(path.join(here, SITE_CSS), path.join(outDir, SITE_CSS)),
      ...REDOC_ASSETS.map((asset) => copyFile(path.join(here, asset), path.join(outDir, asset))),
    ]);
    const bundle = path.join(cliDir, 'lib/chunks', BUNDLE);
    const version = await bundleVersion(bundle);
    await writeFile(path.join(outDir, BUNDLE), localRedocBundle(await readFile(bundle, 'utf8')));
    await finishPage(outDir, 'index', '', version);
    await finishPage(outDir, 'asyncapi', 'asyncapi', version);
    // The stream consoles (console/…) carry the site's bar and stylesheet like every page of the site.
    await writeConsole(outDir, { siteBar, head: `<link rel="stylesheet" href="../${SITE_CSS}">` });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Builds the docs site from the bundled contract in generated/specs and the guide's markdown: `index.html`
 * (REST reference, OpenAPI 3.1, with code samples), `asyncapi.html` (channels and events), one page per
 * guide page (`streams.html`, … see navigation.ts), the contract each reference hydrates from, the Redoc
 * bundle they load, the site's stylesheet, and the stream consoles (`console/`, see `console.ts`), so it
 * works offline. `outDir` is replaced in one rename; unless `force`, the build is skipped when it was built
 * from the same inputs. Returns whether it built.
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
