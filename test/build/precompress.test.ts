import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build/precompress.js';

const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i}`))};\n`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-precompress-'));
  await mkdir(path.join(work, 'assets'));
  await writeFile(path.join(work, 'app.js'), SCRIPT);
  await writeFile(path.join(work, 'assets', 'page.html'), `<!doctype html><pre>${SCRIPT}</pre>`);
  await writeFile(path.join(work, 'tiny.css'), 'body { margin: 0 }');
  await writeFile(path.join(work, 'app.js.map'), SCRIPT);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('precompress', () => {
  it('writes a .br and a .gz copy of each compressible file that decompress to the file', async () => {
    expect(await precompress(work)).toBe(4);
    expect(brotliDecompressSync(await readFile(path.join(work, 'app.js.br'))).toString()).toBe(SCRIPT);
    expect(gunzipSync(await readFile(path.join(work, 'app.js.gz'))).toString()).toBe(SCRIPT);
    const page = await readFile(path.join(work, 'assets', 'page.html'), 'utf8');
    expect(brotliDecompressSync(await readFile(path.join(work, 'assets', 'page.html.br'))).toString()).toBe(
      page,
    );
  });

  it('leaves out small files and files that are not served as text', async () => {
    const names = await readdir(work);
    expect(names).not.toContain('tiny.css.br');
    expect(names).not.toContain('app.js.map.br');
  });

  it('writes nothing again while the copies are newer than their files', async () => {
    expect(await precompress(work)).toBe(0);
  });
});
