import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openapi32 from '../../generated/specs/openapi-3.2.json' with { type: 'json' };
import { docsRoutes } from '../../src/http/site/docs.js';
import { rawGet } from '../helpers/rawGet.js';
import { type StartedSite, startStaticSite } from '../helpers/startStaticSite.js';

let work: string;
let built: StartedSite;
let missing: StartedSite;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-routes-'));
  const docs = path.join(work, 'docs');
  await mkdir(docs);
  await writeFile(path.join(docs, 'index.html'), '<!doctype html><title>REST</title>');
  await writeFile(path.join(docs, 'asyncapi.html'), '<!doctype html><title>Streams</title>');
  await writeFile(path.join(docs, 'redoc.standalone.js'), 'export const hydrate = () => {};');
  await writeFile(path.join(docs, '.hidden'), 'HIDDEN');
  await writeFile(path.join(work, 'secret.txt'), 'SECRET');
  built = await startStaticSite(docsRoutes({ dir: docs }));
  missing = await startStaticSite(docsRoutes({ dir: path.join(work, 'not-built') }));
});

afterAll(async () => {
  await built.close();
  await missing.close();
  await rm(work, { recursive: true, force: true });
});

describe('/docs', () => {
  it('redirects /docs to /docs/ so the pages load the bundle beside them', async () => {
    const response = await fetch(`${built.url}/docs?x=1`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/docs/?x=1');
  });

  it('serves the REST page, the AsyncAPI page and the Redoc bundle with their content types', async () => {
    const rest = await fetch(`${built.url}/docs/`);
    expect(rest.status).toBe(200);
    expect(rest.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await rest.text()).toContain('<title>REST</title>');
    expect(rest.headers.get('content-security-policy')).toContain("default-src 'self'");
    const streams = await fetch(`${built.url}/docs/asyncapi`);
    expect(await streams.text()).toContain('<title>Streams</title>');
    const bundle = await fetch(`${built.url}/docs/redoc.standalone.js`);
    expect(bundle.headers.get('content-type')).toMatch(/^(application|text)\/javascript; charset=utf-8$/);
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 304 to a client whose copy is fresh', async () => {
    const first = await fetch(`${built.url}/docs/redoc.standalone.js`);
    await first.arrayBuffer();
    const lastModified = first.headers.get('last-modified')!;
    const again = await rawGet(built.url, '/docs/redoc.standalone.js', { 'if-modified-since': lastModified });
    expect(again).toMatchObject({ status: 304, body: '' });
  });

  it.each([
    '/docs/../secret.txt',
    '/docs/%2e%2e/secret.txt',
    '/docs/..%2fsecret.txt',
    '/docs/asyncapi/../../secret.txt',
    '/docs/%2fetc%2fpasswd',
    '/docs/.hidden',
    '/docs/redoc.standalone.js%00.html',
    '/docs/%E0%A4%A',
  ])('refuses %s with a 404 problem and never leaves the docs folder', async (rawPath) => {
    const response = await rawGet(built.url, rawPath);
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).not.toContain('SECRET');
    expect(response.body).not.toContain('HIDDEN');
  });

  it('answers a clear 404 problem when the docs site was not built', async () => {
    const response = await fetch(`${missing.url}/docs/`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { title: string; detail: string };
    expect(problem.title).toBe('Docs site not built');
    expect(problem.detail).toContain('npm run docs');
  });
});

describe('/openapi-3.2.json', () => {
  it('serves the OpenAPI 3.2 document', async () => {
    const response = await fetch(`${built.url}/openapi-3.2.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(openapi32);
  });
});
