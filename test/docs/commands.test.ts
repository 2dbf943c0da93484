import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks, SHELL_LANGUAGES, type ShellBlock } from '../../scripts/docs/commandBlocks.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The documentation a reader runs commands from: README.md, CONTRIBUTING.md and the guide. */
const docsFiles = async (): Promise<string[]> => {
  const guide = (await readdir(path.join(root, 'docs'))).filter((name) => name.endsWith('.md'));
  return ['README.md', 'CONTRIBUTING.md', ...guide.map((name) => `docs/${name}`)];
};
const files = await docsFiles();
const blocksOf = async (file: string) => fencedBlocks(await readFile(path.join(root, file), 'utf8'));
/** An untagged block that starts like a command a reader would type. */
const LOOKS_LIKE_A_COMMAND = /^\s*(\$ |curl |npm |npx |node |docker |export |[A-Z_]+=\S* (npm|node|curl) )/;

describe('commands in the documentation', () => {
  it('keeps README.md a five-minute read: at most 250 lines', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it.each(files)(
    '%s tags every command block as a shell block, and says why one is not run',
    async (file) => {
      for (const block of await blocksOf(file)) {
        const where = `${file}:${block.line}`;
        if (!SHELL_LANGUAGES.has(block.lang)) {
          expect(LOOKS_LIKE_A_COMMAND.test(block.code), `${where} is a command: fence it as \`\`\`sh`).toBe(
            false,
          );
          continue;
        }
        if (block.norun !== undefined)
          expect(block.norun.length, `${where}: norun needs a reason`).toBeGreaterThan(10);
      }
    },
  );
});

/**
 * One bash script running a file's runnable blocks in order, as a reader pastes them (variables carry from
 * one block to the next); a `stream` block runs until the stream has opened (its first `retry:`, `id:` or
 * `data:` line), then is stopped.
 */
function scriptOf(blocks: ShellBlock[], file: string, work: string): string {
  const lines = ['set -euo pipefail'];
  for (const block of blocks) {
    lines.push(`echo ${JSON.stringify(`::: ${file}:${block.line}`)} >&2`);
    if (!block.stream) {
      lines.push(block.code);
      continue;
    }
    const out = path.join(work, `stream-${block.line}.out`);
    lines.push(
      `( ${block.code}\n) > '${out}' 2>&1 &`,
      'stream=$!',
      // Waits for the stream's first frame (or its end), not for a time.
      `until grep -qE '^(retry|id|data):' '${out}' || ! kill -0 $stream 2>/dev/null; do sleep 0.05; done`,
      // The block's own processes (its curl), then the subshell that ran it.
      'pkill -P $stream 2>/dev/null || true',
      'kill $stream 2>/dev/null || true',
      'wait $stream 2>/dev/null || true',
      `grep -qE '^(retry|id|data):' '${out}' || { cat '${out}' >&2; echo 'the stream printed no frame' >&2; exit 1; }`,
      `cat '${out}'`,
    );
  }
  return lines.join('\n');
}

describe('the runnable commands, against a live server', () => {
  let app: StartedApp;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-commands-'));
    const docsDir = path.join(work, 'docs');
    await run('mkdir', ['-p', docsDir]);
    await writeFile(path.join(docsDir, 'index.html'), '<!doctype html><title>REST</title>');
    // As `npm start` runs it, but on a spare port: the commands read it from PORT (`${PORT:-3000}`).
    app = await startApp({ orderStepMs: 2000, docsDir });
  });

  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each(files)(
    'runs every runnable command of %s, in the order written',
    async (file) => {
      const runnable = (await blocksOf(file)).filter(
        (block) => SHELL_LANGUAGES.has(block.lang) && block.norun === undefined,
      );
      if (runnable.length === 0) return;
      const script = scriptOf(runnable, file, work);
      const result = await run('bash', ['-c', script], {
        cwd: root,
        env: { ...process.env, PORT: new URL(app.url).port },
        timeout: 60_000,
      }).catch((error: { message: string; stdout?: string; stderr?: string }) => {
        throw new Error(`${error.message}\n--- stdout\n${error.stdout}\n--- stderr\n${error.stderr}`);
      });
      expect(result.stderr.match(/^::: /gm)?.length).toBe(runnable.length);
    },
    90_000,
  );
});
