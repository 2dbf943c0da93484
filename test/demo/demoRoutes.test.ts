import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoutes } from '../../src/http/site/demo.js';
import { rawGet } from '../helpers/rawGet.js';
import { type StartedSite, startStaticSite } from '../helpers/startStaticSite.js';

let work: string;
let built: StartedSite;
let missing: StartedSite;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-demo-routes-'));
  const demo = path.join(work, 'demo');
  await mkdir(demo);
  await writeFile(path.join(demo, 'index.html'), '<!doctype html><title>Demo</title>');
  await writeFile(path.join(demo, 'demo.js'), 'console.log("demo");');
  await writeFile(path.join(demo, 'demo.css'), 'body { margin: 0 }');
  await writeFile(path.join(demo, '.hidden'), 'HIDDEN');
  await writeFile(path.join(work, 'secret.txt'), 'SECRET');
  built = await startStaticSite(demoRoutes({ dir: demo }));
  missing = await startStaticSite(demoRoutes({ dir: path.join(work, 'not-built') }));
});

afterAll(async () => {
  await built.close();
  await missing.close();
  await rm(work, { recursive: true, force: true });
});

describe('the demo page route', () => {
  it('answers GET / with index.html under a Content-Security-Policy allowing this origin only', async () => {
    const response = await fetch(`${built.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>Demo</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('serves the bundle and styles under /demo/ with their content types', async () => {
    const script = await fetch(`${built.url}/demo/demo.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^(application|text)\/javascript; charset=utf-8$/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const styles = await fetch(`${built.url}/demo/demo.css`);
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/demo/../secret.txt',
    '/demo/%2e%2e/secret.txt',
    '/demo/..%2fsecret.txt',
    '/demo/.hidden',
    '/demo/demo.js%00.html',
    '/demo/%E0%A4%A',
    '/demo/missing.js',
  ])('refuses %s with a 404 problem and never leaves the demo folder', async (rawPath) => {
    const response = await rawGet(built.url, rawPath);
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).not.toContain('SECRET');
    expect(response.body).not.toContain('HIDDEN');
  });

  it.each(['/', '/demo/demo.js'])(
    'answers GET %s with a clear 404 problem when the page was not built',
    async (page) => {
      const response = await fetch(`${missing.url}${page}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { type: string; title: string; detail: string };
      expect(problem.type).toBe('/problems/not-found');
      expect(problem.title).toBe('Demo page not built');
      expect(problem.detail).toContain('npm run demo:build');
    },
  );
});
