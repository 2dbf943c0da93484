import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientPackage, CLIENT_DIR } from '../../scripts/client/build.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(import.meta.dirname, 'consumer');
const TSC = path.join(root, 'node_modules/typescript/bin/tsc');

/** The most the whole package may weigh in a browser bundle, minified and gzipped (docs/sdks.md, "Client package"). */
const SIZE_BUDGET_BYTES = 26 * 1024;

/** What a consumer installs beside the package: React and the types a strict TypeScript project has. */
const CONSUMER_PACKAGES = ['react@19.3.1', '@types/react@19.3.0', '@types/node@20.19.43'];

/** The strictest options a consumer may use, libraries' declarations checked too. */
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    types: ['node'],
    rootDir: 'src',
    outDir: 'out',
  },
  include: ['src'],
};

let scratch: string;
let tarball: { filename: string; files: { path: string }[] };
let app: StartedApp;
let browser: Browser;

/** `npm pack` of the package (its `prepack` builds it) into `dir`: npm's JSON report of the tarball. */
async function pack(dir: string): Promise<typeof tarball> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: CLIENT_DIR });
  // The prepack script prints a line before npm's JSON.
  return JSON.parse(stdout.slice(stdout.search(/^\[/m)))[0];
}

/** A new project outside the repo with the tarball installed as another project would install it. */
async function installConsumer(): Promise<void> {
  await writeFile(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  await writeFile(path.join(scratch, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  const install = ['install', `./${tarball.filename}`, ...CONSUMER_PACKAGES, '--no-audit', '--no-fund'];
  await run('npm', [...install, '--prefer-offline'], { cwd: scratch });
  await mkdir(path.join(scratch, 'src'));
  for (const file of await readdir(fixtures)) {
    await copyFile(path.join(fixtures, file), path.join(scratch, 'src', file));
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'petstore-client-consumer-'));
  await buildClientPackage();
  tarball = await pack(scratch);
  const page = path.join(scratch, 'page');
  await mkdir(page);
  [app, browser] = await Promise.all([
    startApp({ demoDir: page, orderStepMs: 20 }),
    launchChromium(),
    installConsumer(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('@petstore-sse/client installed from its tarball into a project outside the repo', () => {
  it('ships built JavaScript and declarations only', () => {
    const files = tarball.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/react/index.js']),
    );
    expect(files).toContain('dist/generated/openapi.d.ts');
    expect(files).toContain('README.md');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => !/^(dist\/|package\.json$|README\.md$)/.test(file))).toEqual([]);
  });

  it('brings eventsource-parser and nothing of the server', async () => {
    const manifest = JSON.parse(await readFile(path.join(CLIENT_DIR, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ 'eventsource-parser': expect.any(String) });
    expect(manifest.peerDependenciesMeta.react.optional).toBe(true);
    const installed = (await readdir(path.join(scratch, 'node_modules'))).filter(
      (name) => !name.startsWith('.'),
    );
    // What the consumer asked for (React and two @types) and the package's one dependency: nothing else.
    expect(installed.sort()).toEqual(
      ['@petstore-sse', '@types', 'csstype', 'eventsource-parser', 'react', 'undici-types'].sort(),
    );
  });

  it('typechecks with strict tsc, and its types refuse a consumer’s mistakes', async () => {
    // typeErrors.ts has a @ts-expect-error on each mistake: a mistake that compiles fails tsc.
    const result = await run(process.execPath, [TSC, '-p', scratch]).catch((error) => error);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  }, 120_000); // with skipLibCheck off, tsc checks React's and Node's declarations too: ~10 s, more under load

  it('runs in Node: a REST call, a stream left and resumed without losing or repeating an event', async () => {
    const { stdout } = await run(process.execPath, [path.join(scratch, 'out/nodeConsumer.js'), app.url], {
      cwd: scratch,
    });
    expect(JSON.parse(stdout)).toEqual({
      orderStatus: 'payment_processing',
      statuses: ['payment_processing', 'payment_confirmed', 'preparing_shipment', 'complete:shipped'],
      refusal: '400 Request is not valid',
    });
  });

  it('bundles with esbuild into a page that runs in Chromium', async () => {
    await build({
      absWorkingDir: scratch,
      entryPoints: ['src/pageConsumer.ts'],
      outfile: path.join(scratch, 'page/page.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'warning',
    });
    const html =
      '<!doctype html><title>consumer</title><pre id="result"></pre><script type="module" src="/demo/page.js"></script>';
    await writeFile(path.join(scratch, 'page/index.html'), html);
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== '');
    const result = JSON.parse((await page.textContent('#result')) ?? '');
    expect(result).toEqual({
      pets: 3,
      events: ['recommendation', 'recommendation', 'recommendation', 'complete'],
    });
  });

  it(`weighs at most ${SIZE_BUDGET_BYTES / 1024} KiB minified and gzipped, eventsource-parser included`, async () => {
    const bundled = await build({
      absWorkingDir: scratch,
      stdin: { contents: "export * from '@petstore-sse/client';", resolveDir: scratch },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'warning',
    });
    const gzipped = gzipSync(bundled.outputFiles[0]!.contents, { level: 9 }).length;
    console.log(`@petstore-sse/client: ${(gzipped / 1024).toFixed(1)} KiB minified + gzipped`);
    expect(gzipped).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
  });
});
