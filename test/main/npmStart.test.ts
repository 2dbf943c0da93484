import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPgliteTemplate } from '../../scripts/build/pgliteDataDir.js';
import { buildServer } from '../../scripts/build/server.js';
import { spawnServer } from '../helpers/spawnServer.js';

/** `npm start` without its prestart build (built in beforeAll): the command a user's terminal runs. */
const NPM_START = ['npm', 'start', '--ignore-scripts', '--silent'];
const START_TIMEOUT_MS = 90_000;

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'petstore-npm-start-'));
  await Promise.all([buildServer(), buildPgliteTemplate()]);
}, 300_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: no such process.
    return false;
  }
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'runs the compiled server with plain node, and %s to npm’s pid shuts the server down',
    async (signal) => {
      const server = await spawnServer({ DATA_DIR: dataDir }, START_TIMEOUT_MS, NPM_START);
      const serverPid = server.logs.find((line) => typeof line.pid === 'number')?.pid as number;
      const commandLine = (await readFile(`/proc/${serverPid}/cmdline`, 'utf8')).split('\0');
      expect(commandLine.slice(1, 2)).toEqual(['dist/server/main.js']);
      expect(commandLine.join(' ')).not.toContain('tsx');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      expect(await server.kill(signal)).toBe(0);
      expect(isRunning(serverPid)).toBe(false);
      expect(server.logs.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['shutting down', 'shut down']),
      );
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    },
    START_TIMEOUT_MS + 30_000,
  );
});
