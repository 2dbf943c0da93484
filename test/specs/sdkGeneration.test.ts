import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../generated/channels.js';
import type { ChannelId } from '../../generated/events.js';
import * as validators from '../../generated/validators/schemas.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

/**
 * The SDK guide (docs/sdks.md), run as written: its generator commands make a Hey API SDK and openapi-typescript
 * types in a scratch folder, its two programs (the code blocks marked `<!-- sdk-test: file -->`) are
 * typechecked with the project's strict settings and run against a live server, and every frame they print
 * must be an event of its stream, by name, with data valid for that event.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const BINS: Record<string, string> = {
  '@hey-api/openapi-ts': path.join(
    path.dirname(require.resolve('@hey-api/openapi-ts/package.json')),
    'bin/run.js',
  ),
  'openapi-typescript': path.join(
    path.dirname(require.resolve('openapi-typescript/package.json')),
    'bin/cli.js',
  ),
};
const tsc = require.resolve('typescript/bin/tsc');
const STREAMS: Record<string, ChannelId> = {
  recommendations: 'recommendationsStream',
  orderStatus: 'orderStatusStream',
  inventory: 'inventoryStream',
  chat: 'chatCompletionsStream',
};

interface PrintedFrame {
  stream: string;
  event: string;
  id: string;
  data: unknown;
}

let app: StartedApp;
let work: string;
let readme: string;

/** The README's `npx <package> …` command that mentions `needle`, as arguments for node. */
function command(needle: string): string[] {
  const line = readme.split('\n').find((text) => text.includes(`npx ${needle}`))!;
  const [, pkg, args] = /`npx (\S+) ([^`]+)`/.exec(line.slice(line.indexOf(`npx ${needle}`) - 1))!;
  return [BINS[pkg!]!, ...args!.split(' ')];
}

/** The code block that follows `<!-- sdk-test: <file> -->` in the README. */
function program(file: string): string {
  const marker = readme.indexOf(`<!-- sdk-test: ${file} -->`);
  const start = readme.indexOf('```ts\n', marker) + '```ts\n'.length;
  return readme.slice(start, readme.indexOf('\n```\n', start) + 1);
}

beforeAll(async () => {
  readme = await readFile(path.join(root, 'docs', 'sdks.md'), 'utf8');
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-sdk-'));
  await cp(path.join(root, 'spec'), path.join(work, 'spec'), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  await writeFile(path.join(work, 'package.json'), '{ "type": "module" }\n');
  for (const file of ['heyApi.ts', 'openapiFetch.ts']) await writeFile(path.join(work, file), program(file));
  const tsconfig = {
    extends: path.join(root, 'tsconfig.json'),
    // The generator's runtime is not written for exactOptionalPropertyTypes; every other project flag holds.
    compilerOptions: { types: ['node'], noEmit: true, rootDir: '.', exactOptionalPropertyTypes: false },
    include: ['sdk', 'schema.d.ts', 'heyApi.ts', 'openapiFetch.ts'],
  };
  await writeFile(path.join(work, 'tsconfig.json'), JSON.stringify(tsconfig));
  await run(process.execPath, command('@hey-api/openapi-ts'), { cwd: work });
  await run(process.execPath, command('openapi-typescript'), { cwd: work });
  app = await startApp({ orderStepMs: 50 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await rm(work, { recursive: true, force: true });
});

/** Runs one README program against the app and returns the frames it printed. */
async function runProgram(file: string): Promise<PrintedFrame[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    cwd: work,
    env: { ...process.env, PETSTORE_URL: app.url },
    timeout: 110_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"stream"'))
    .map((line) => JSON.parse(line) as PrintedFrame);
}

/** The events a frame with this SSE name can be: unnamed events all arrive as `message`. */
function eventsNamed(channelId: ChannelId, name: string): string[] {
  const channel = channels[channelId];
  const unnamed = channel.unnamedEvents as readonly string[];
  return (channel.events as readonly string[]).filter((event) =>
    unnamed.includes(event) ? name === 'message' : name === event,
  );
}

/** Each frame is an event of its stream, by name, and its data is valid for that event. */
function expectFramesMatchTheSpec(frames: readonly PrintedFrame[]): void {
  for (const frame of frames) {
    const channelId = STREAMS[frame.stream]!;
    const candidates = eventsNamed(channelId, frame.event);
    expect(candidates, `${frame.stream}: no event is sent as ${frame.event}`).not.toEqual([]);
    const messages = channels[channelId].messages as Record<string, { schema: string }>;
    const valid = candidates.some((event) => {
      const validate = (validators as unknown as Record<string, validators.ValidateFunction>)[
        messages[event]!.schema
      ]!;
      return validate(frame.data);
    });
    expect(valid, JSON.stringify(frame)).toBe(true);
  }
}

const eventsOf = (frames: readonly PrintedFrame[], stream: string) =>
  frames.filter((frame) => frame.stream === stream).map((frame) => frame.event);

describe('the SDKs of the README, generated from spec/openapi.yaml', () => {
  it('typecheck with the project’s tsc', async () => {
    const result = await run(process.execPath, [tsc, '-p', path.join(work, 'tsconfig.json')]).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(result.stdout).toBe('');
  }, 180_000);

  it.each(['heyApi.ts', 'openapiFetch.ts'])(
    '%s receives every stream, each frame as the spec declares it',
    async (file) => {
      const frames = await runProgram(file);
      expectFramesMatchTheSpec(frames);
      expect(eventsOf(frames, 'recommendations')).toEqual([
        'recommendation',
        'recommendation',
        'recommendation',
        'complete',
      ]);
      expect(eventsOf(frames, 'orderStatus')).toEqual(['message', 'message', 'message', 'complete']);
      expect(eventsOf(frames, 'inventory')).toContain('stock-change');
      const chat = frames.filter((frame) => frame.stream === 'chat');
      expect(chat.length).toBeGreaterThan(2);
      expect(chat.every((frame) => frame.event === 'message')).toBe(true);
      expect(chat.at(-1)!.data).toBe('[DONE]');
    },
    120_000,
  );
});
