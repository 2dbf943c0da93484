import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoutes } from '../../../src/http/site/demo.js';
import { type StartedSite, startStaticSite } from '../../helpers/startStaticSite.js';

/** A script long enough that its ranges and compressed copies differ from it. */
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `word-${i}`))};\n`;
const STYLES = 'body { margin: 0 }\n';

let work: string;
let site: StartedSite;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-static-'));
  const demo = path.join(work, 'demo');
  await mkdir(demo);
  await writeFile(path.join(demo, 'index.html'), '<!doctype html><title>Demo</title>');
  await writeFile(path.join(demo, 'demo.js'), SCRIPT);
  await writeFile(path.join(demo, 'demo.js.br'), brotliCompressSync(SCRIPT));
  await writeFile(path.join(demo, 'demo.js.gz'), gzipSync(SCRIPT));
  await writeFile(path.join(demo, 'demo.css'), STYLES);
  await writeFile(path.join(demo, 'demo.css.gz'), gzipSync(STYLES));
  site = await startStaticSite(demoRoutes({ dir: demo }));
});

afterAll(async () => {
  await site.close();
  await rm(work, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request sent as given, its body as received (fetch would decompress it and could add headers). */
function get(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${site.url}${rawPath}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('static files', () => {
  it('answer with an ETag, Last-Modified, Accept-Ranges and the house headers', async () => {
    const answer = await get('/demo/demo.js');
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe(SCRIPT);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(answer.headers.etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(Date.parse(answer.headers['last-modified'] ?? '')).not.toBeNaN();
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['content-security-policy']).toBeUndefined();
    const page = await get('/');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('answer 304 without a body to a client whose ETag is current, and 200 to one whose is not', async () => {
    const first = await get('/demo/demo.js');
    const etag = first.headers.etag!;
    const again = await get('/demo/demo.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-cache');
    const stale = await get('/demo/demo.js', { 'if-none-match': '"not-the-etag"' });
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe(SCRIPT);
  });

  it('answer 304 to a client whose copy is as new as the file (If-Modified-Since)', async () => {
    const first = await get('/demo/demo.css');
    const again = await get('/demo/demo.css', { 'if-modified-since': first.headers['last-modified']! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answer a byte range with 206 and Content-Range', async () => {
    const answer = await get('/demo/demo.js', { range: 'bytes=7-18' });
    expect(answer.status).toBe(206);
    expect(answer.body.toString()).toBe(SCRIPT.slice(7, 19));
    expect(answer.headers['content-range']).toBe(`bytes 7-18/${Buffer.byteLength(SCRIPT)}`);
    expect(answer.headers['content-length']).toBe('12');
    const tail = await get('/demo/demo.js', { range: 'bytes=-5' });
    expect(tail.status).toBe(206);
    expect(tail.body.toString()).toBe(SCRIPT.slice(-5));
  });

  it('answer 416 with the length in Content-Range to a range past the end', async () => {
    const answer = await get('/demo/demo.js', { range: `bytes=${Buffer.byteLength(SCRIPT) + 10}-` });
    expect(answer.status).toBe(416);
    expect(answer.headers['content-range']).toBe(`bytes */${Buffer.byteLength(SCRIPT)}`);
    expect(answer.body.length).toBe(0);
  });

  it('answer the whole file when If-Range names another version', async () => {
    const answer = await get('/demo/demo.js', { range: 'bytes=0-3', 'if-range': '"another-version"' });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe(SCRIPT);
  });

  it('answer 412 when If-Match names another version', async () => {
    const answer = await get('/demo/demo.js', { 'if-match': '"another-version"' });
    expect(answer.status).toBe(412);
    expect(answer.body.length).toBe(0);
  });

  it('send the brotli copy to a client that accepts br, with its own ETag and Vary', async () => {
    const plain = await get('/demo/demo.js');
    const answer = await get('/demo/demo.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-type']).toMatch(/^(application|text)\/javascript; charset=utf-8$/);
    expect(answer.headers.vary).toContain('Accept-Encoding');
    expect(answer.headers.etag).not.toBe(plain.headers.etag);
    expect(answer.body.length).toBeLessThan(Buffer.byteLength(SCRIPT));
    expect(brotliDecompressSync(answer.body).toString()).toBe(SCRIPT);
    const fresh = await get('/demo/demo.js', {
      'accept-encoding': 'br',
      'if-none-match': answer.headers.etag!,
    });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.etag).toBe(answer.headers.etag);
    expect(fresh.headers['content-encoding']).toBeUndefined();
  });

  it('send the gzip copy when the client prefers gzip or br has no copy', async () => {
    const refused = await get('/demo/demo.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(refused.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(refused.body).toString()).toBe(SCRIPT);
    const onlyGzip = await get('/demo/demo.css', { 'accept-encoding': 'br, gzip' });
    expect(onlyGzip.headers['content-encoding']).toBe('gzip');
    expect(onlyGzip.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(gunzipSync(onlyGzip.body).toString()).toBe(STYLES);
  });

  it('send the file itself to a client that accepts no encoding, or a file that has no copy', async () => {
    const identity = await get('/demo/demo.js', { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.toString()).toBe(SCRIPT);
    const page = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.toString()).toContain('<title>Demo</title>');
  });

  it('answer a byte range of the compressed copy when that is what is sent', async () => {
    const whole = await get('/demo/demo.js', { 'accept-encoding': 'br' });
    const part = await get('/demo/demo.js', { 'accept-encoding': 'br', range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers['content-encoding']).toBe('br');
    expect(part.body).toEqual(whole.body.subarray(0, 10));
  });

  it('never serve a compressed copy by its own name as a file of its own type', async () => {
    const answer = await get('/demo/demo.js.br');
    // The copies are files of the folder like any other: served, but as what they are, not as JavaScript.
    expect(answer.headers['content-type'] ?? '').not.toMatch(/javascript/);
  });

  it('answer HEAD with the headers of GET and no body', async () => {
    const answer = await get('/demo/demo.js', {}, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(0);
    expect(answer.headers.etag).toMatch(/"/);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(SCRIPT)));
  });
});
