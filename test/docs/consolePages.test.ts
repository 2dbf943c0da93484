import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientPackage } from '../../scripts/client/build.js';
import { CONSOLE_PAGES, writeConsole } from '../../scripts/docs/console.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'docs-console-pages-'));
  await buildClientPackage();
  await writeConsole(work, {
    siteBar: (pagePath) => `<header class="site-bar" data-page="${pagePath}"></header>`,
    head: '<link rel="stylesheet" href="/docs/site.css" />',
  });
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const page = (file: string) => readFile(path.join(work, file), 'utf8');

describe('the stream console pages the docs build writes', () => {
  it('writes one page per stream at its path, dressed with the site bar of that path', async () => {
    expect(CONSOLE_PAGES.map((console) => [console.path, console.href])).toEqual([
      ['console/recommendations', '/docs/console/recommendations'],
      ['console/orders', '/docs/console/orders'],
      ['console/inventory', '/docs/console/inventory'],
    ]);
    for (const console of CONSOLE_PAGES) {
      const html = await page(`${console.path}.html`);
      expect(html).toContain(`<body data-channel="${console.channel}">`);
      expect(html).toContain(`<header class="site-bar" data-page="${console.path}"></header>`);
      expect(html).toContain('<link rel="stylesheet" href="/docs/site.css" />');
      expect(html).toContain(`<a href="${console.href}" aria-current="page">`);
      expect(html).not.toContain('{{');
    }
  });

  it('writes the list of consoles as the folder’s index, and the bundle, styles and icon they load', async () => {
    const index = await page('console/index.html');
    expect(index).toContain('<header class="site-bar" data-page="console/"></header>');
    for (const console of CONSOLE_PAGES) expect(index).toContain(`<a href="${console.href}">`);
    for (const asset of ['console.js', 'console.css', 'favicon.svg'])
      expect((await page(`console/${asset}`)).length).toBeGreaterThan(0);
    expect(await page('console/console.js')).not.toMatch(/from\s*["']@petstore-sse\/client["']/);
  });
});
