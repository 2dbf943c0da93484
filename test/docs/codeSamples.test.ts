import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import asyncapi from '../../generated/specs/asyncapi.json' with { type: 'json' };
import openapi from '../../generated/specs/openapi.json' with { type: 'json' };
import { buildClientPackage } from '../../scripts/client/build.js';
import {
  type CodeSample,
  channelEvents,
  codeSamples,
  type SampleOperation,
  sampleOperations,
} from '../../scripts/docs/codeSamples.js';
import { INVENTORY_TOPIC } from '../../src/domain/events/topics.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import type { SampleRun } from './runSamples.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
/** Inside the repository, so that the samples' `@petstore-sse/client` resolves as in a project using it. */
const work = path.join(root, 'test-artifacts/code-samples');

/**
 * The scopes the samples' token carries. Catalog and inventory writes will need `catalog:write` and
 * `inventory:write` (branch sec-auth); put them here when that lands, in this one place.
 */
const TOKEN_SCOPES: readonly string[] = ['catalog:write', 'inventory:write'];
const USER_ID = 'user-456';

let app: StartedApp;
let browser: Browser;
let page: Page;
const events = channelEvents(asyncapi);
const operations = sampleOperations(openapi);
const samplesOf = (op: SampleOperation): CodeSample[] => codeSamples(op, events.get(op.channel ?? '') ?? []);
const sample = (op: SampleOperation, kind: CodeSample['kind']) => samplesOf(op).find((s) => s.kind === kind)!;
/** The samples that run until stopped: the test stops them once they have shown a live event. */
const endless = (op: SampleOperation) => op.channel === 'inventoryStream' && op.method === 'get';

/** An access token for `userId`, as the samples' readers get one in dev mode: `POST /v1/dev/tokens`. */
async function accessToken(userId: string): Promise<string> {
  const response = await fetch(`${app.url}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TOKEN_SCOPES.length ? { userId, scopes: TOKEN_SCOPES } : { userId }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

let token: string;
/** A pet with enough stock for every order the samples place. */
let petId: string;

/** A new order of {@link USER_ID}, so that each sample that needs one (cancel it, say) gets a fresh one. */
async function freshOrder(): Promise<string> {
  const response = await fetch(`${app.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ petId, quantity: 1, userId: USER_ID }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function cancel(orderId: string): Promise<void> {
  const response = await fetch(`${app.url}/v1/orders/${orderId}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
}

/** The values of the variables an operation's samples read. */
async function variables(op: SampleOperation): Promise<Record<string, string>> {
  const values: Record<string, string> = {
    PORT: new URL(app.url).port,
    BASE_URL: app.url,
    TOKEN: token,
    USER_ID,
    PET_ID: petId,
    PAGE: 'asyncapi',
    CONSOLE_PAGE: 'inventory',
    FILE: 'demo.css',
  };
  if (op.pathParams.includes('orderId') || op.body?.orderId !== undefined)
    values.ORDER_ID = await freshOrder();
  // Orders take a minute per status here (so that a fresh one can be cancelled); a cancelled order's status
  // stream completes at once, so the stream samples follow one.
  if (op.channel === 'orderStatusStream' && op.stream) await cancel(values.ORDER_ID!);
  return values;
}

async function inventoryItems(): Promise<{ petId: string; stock: number }[]> {
  const response = await fetch(`${app.url}/v1/inventory`);
  return ((await response.json()) as { items: { petId: string; stock: number }[] }).items;
}

/** Waits until one more inventory stream follows the log than `before`, then changes a stock. */
async function changeStockOnceSubscribed(before: number): Promise<void> {
  await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) > before, 15_000);
  const stock = (await inventoryItems()).find((item) => item.petId === petId)!.stock;
  const response = await fetch(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ stock: stock + 1 }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const sites = path.join(work, 'sites');
  await mkdir(path.join(sites, 'docs'), { recursive: true });
  await mkdir(path.join(sites, 'demo'), { recursive: true });
  await Promise.all([
    writeFile(path.join(sites, 'docs/index.html'), '<!doctype html><title>REST</title>'),
    writeFile(path.join(sites, 'docs/asyncapi.html'), '<!doctype html><title>Streams</title>'),
    mkdir(path.join(sites, 'docs/console'), { recursive: true }).then(() =>
      writeFile(path.join(sites, 'docs/console/inventory.html'), '<!doctype html><title>Console</title>'),
    ),
    writeFile(path.join(sites, 'demo/index.html'), '<!doctype html><title>Demo</title>'),
    writeFile(path.join(sites, 'demo/demo.css'), 'body { margin: 0; }'),
  ]);
  [app, browser] = await Promise.all([
    startApp({ docsDir: path.join(sites, 'docs'), demoDir: path.join(sites, 'demo') }),
    launchChromium(),
    buildClientPackage(),
  ]).then(([started, launched]) => [started, launched] as const);
  token = await accessToken(USER_ID);
  petId = (await inventoryItems())[0]!.petId;
  // Enough stock for every order the samples place.
  const stocked = await fetch(`${app.url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ stock: 10_000 }),
  });
  expect(stocked.status).toBe(200);
  // The samples are what a reader pastes into the console of a page of this server; the page's own CSP is
  // the docs site's concern (docsSite.browser.test.ts), not the samples'.
  page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${app.url}/healthz`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

it('gives every operation a curl, a TypeScript and a browser sample', () => {
  expect(operations.length).toBeGreaterThan(40);
  for (const op of operations) {
    expect(
      samplesOf(op).map((s) => s.kind),
      op.operationId,
    ).toEqual(['curl', 'typescript', 'browser']);
  }
  const streams = operations.filter((op) => op.stream && op.method === 'get');
  for (const op of streams) expect(sample(op, 'browser').source).toContain('new EventSource(');
  expect(
    sample(operations.find((op) => op.operationId === 'createChatCompletion')!, 'browser').source,
  ).toContain('response.body');
});

/** Starts `command` and resolves once its output matches `done`, then stops it; or when it exits. */
function runUntil(
  child: ChildProcess,
  done: RegExp,
  onStarted?: () => Promise<void>,
): Promise<{ output: string; code: number | null }> {
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (done.test(output)) child.kill('SIGTERM');
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ output, code: signal ? 0 : code }));
    onStarted?.().catch(reject);
  });
}

describe('curl samples', () => {
  it.each(operations.map((op) => [op.operationId, op] as const))(
    '%s runs against a live server',
    async (_, op) => {
      const env = { ...process.env, ...(await variables(op)) };
      const source = sample(op, 'curl').source;
      if (endless(op)) {
        const before = app.eventLog.readerCount(INVENTORY_TOPIC);
        const child = spawn('bash', ['-c', source], { env });
        const { output } = await runUntil(child, /event: stock-change\n/, () =>
          changeStockOnceSubscribed(before),
        );
        expect(output).toMatch(/^retry: \d+/m);
        return;
      }
      const { stdout } = await run('bash', ['-c', `set -euo pipefail\n${source}`], {
        env,
        timeout: 20_000,
      }).catch((error: { message: string; stdout?: string; stderr?: string }) => {
        throw new Error(`${error.message}\n${error.stdout}\n${error.stderr}`);
      });
      // A plain OPTIONS (no CORS preflight) is answered 405 with `Allow`, as the spec declares.
      if (op.method === 'options') expect(stdout).toMatch(/^HTTP\/1\.1 405/m);
      else if (op.method === 'head') expect(stdout).toMatch(/^HTTP\/1\.1 20[04]/m);
      else if (op.stream && op.channel === 'chatCompletionsStream') expect(stdout).toContain('data: [DONE]');
      else if (op.stream) expect(stdout).toMatch(/^event: complete$/m);
      else expect(stdout.length).toBeGreaterThan(0);
    },
  );
});

describe('TypeScript samples', () => {
  let results: Map<string, SampleRun>;
  const fileOf = (op: SampleOperation) => path.join(work, `${op.operationId}.ts`);

  beforeAll(async () => {
    await Promise.all(operations.map((op) => writeFile(fileOf(op), `${sample(op, 'typescript').source}\n`)));
    await writeFile(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { paths: {}, rootDir: '.' },
        include: ['*.ts'],
      }),
    );
    // Compiled first: a sample that does not typecheck against the client package is wrong even if it runs.
    await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', work], {
      cwd: root,
    }).catch((error: { stdout?: string }) => {
      throw new Error(`the TypeScript samples do not compile:\n${error.stdout}`);
    });
    const jobs = await Promise.all(
      operations
        .filter((op) => !endless(op))
        .map(async (op) => ({ file: fileOf(op), env: await variables(op) })),
    );
    const manifest = path.join(work, 'manifest.json');
    const resultsFile = path.join(work, 'results.json');
    await writeFile(manifest, JSON.stringify(jobs));
    await run(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'runSamples.ts'), manifest, resultsFile],
      {
        cwd: root,
        timeout: 170_000,
      },
    );
    const runs = JSON.parse(await readFile(resultsFile, 'utf8')) as SampleRun[];
    results = new Map(runs.map((result) => [result.file, result]));
  }, 180_000);

  it.each(operations.map((op) => [op.operationId, op] as const))(
    '%s runs against a live server',
    async (_, op) => {
      if (endless(op)) {
        const before = app.eventLog.readerCount(INVENTORY_TOPIC);
        const child = spawn(process.execPath, ['--import', 'tsx', fileOf(op)], {
          cwd: root,
          env: { ...process.env, ...(await variables(op)) },
        });
        const { output } = await runUntil(child, /^stock-change /m, () => changeStockOnceSubscribed(before));
        expect(output).toMatch(/^stock-change \S+ \{/m);
        return;
      }
      const result = results.get(fileOf(op))!;
      expect(result.error, result.output).toBeUndefined();
      if (op.stream && op.channel === 'chatCompletionsStream')
        expect(result.output.trim().length).toBeGreaterThan(0);
      else if (op.stream) expect(result.output).toMatch(/^complete \S+ \{/m);
      else expect(result.output).toMatch(op.method === 'options' ? /^405 / : /^20[0-6] /);
    },
  );
});

describe('browser samples', () => {
  it.each(operations.map((op) => [op.operationId, op] as const))(
    '%s runs in Chromium on the server’s origin',
    async (_, op) => {
      await page.goto(`${app.url}/healthz`);
      const lines: string[] = [];
      const errors: string[] = [];
      const listener = (message: { type(): string; text(): string }) =>
        (message.type() === 'error' ? errors : lines).push(message.text());
      page.on('console', listener);
      try {
        const values = await variables(op);
        const before = app.eventLog.readerCount(INVENTORY_TOPIC);
        const body = sample(op, 'browser').source;
        // The sample's free variables (PET_ID, TOKEN, …) are the reader's to fill in: here, page globals.
        await page.evaluate((values) => Object.assign(globalThis, values), values);
        // As pasted into the console: an async body, run as a script of the page.
        await page.addScriptTag({ content: `globalThis.sampleRun = (async () => {\n${body}\n})();` });
        await page.evaluate(() => (globalThis as { sampleRun?: Promise<void> }).sampleRun);
        if (endless(op)) {
          await changeStockOnceSubscribed(before);
          await until(() => lines.some((line) => line.startsWith('stock-change ')), 15_000);
        } else if (op.stream && op.method === 'get') {
          await until(() => lines.some((line) => line.startsWith('complete ')), 15_000);
        } else if (op.stream) {
          expect(lines.join('')).toContain('data: [DONE]');
        } else {
          expect(lines[0], lines.join('\n')).toMatch(op.method === 'options' ? /^405\b/ : /^20[0-6]\b/);
        }
        // Chromium logs the 405 of a plain OPTIONS as a failed resource load; nothing else may be an error.
        const refused = (error: string) => op.method === 'options' && /\b405\b/.test(error);
        expect(errors.filter((error) => !refused(error))).toEqual([]);
      } finally {
        page.off('console', listener);
      }
    },
  );
});
