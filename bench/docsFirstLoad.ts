import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from '../scripts/build/precompress.js';
import { buildDocsSite } from '../scripts/docs/build.js';
import { docsRoutes } from '../src/http/site/docs.js';
import { launchChromium } from '../test/helpers/launchChromium.js';
import { startStaticSite } from '../test/helpers/startStaticSite.js';
import { median, spread } from './stats.js';

/**
 * `npm run bench:docs`: the first load of `/docs` in Chromium, as a newcomer's browser sees it: a new
 * browser context each run (empty cache), the site built and precompressed as `npm run build` leaves it,
 * served by the server's docs routes over loopback. Each run measures, from navigation start, when the
 * page is shown (first contentful paint), when `load` fires (the page and everything it holds the load for)
 * and when Redoc has hydrated it (`<html data-hydrated>`: its search and menus work). Writes bench/DOCS.md
 * (DOCS_BENCH_OUT) and prints it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.DOCS_BENCH_RUNS ?? 7);
const OUT = process.env.DOCS_BENCH_OUT ?? path.join(root, 'bench/DOCS.md');
/** The budget of issue #16: the first load of /docs under one second on this machine. */
const BUDGET_MS = 1000;

interface Run {
  paintMs: number;
  loadMs: number;
  interactiveMs: number;
  transferredKiB: number;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'petstore-docs-bench-'));
const [browser, site] = await Promise.all([
  launchChromium(),
  buildDocsSite(work, { force: true })
    .then(() => precompress(work))
    .then(() => startStaticSite(docsRoutes({ dir: work }))),
]);
const runs: Run[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    let transferred = 0;
    page.on('response', async (response) => {
      const sizes = await response
        .request()
        .sizes()
        .catch(() => undefined);
      transferred += (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0);
    });
    await page.goto(`${site.url}/docs/`, { waitUntil: 'load' });
    // The page hydrates after `load` (scripts/docs/redocPage.ts) and marks <html data-hydrated> when done.
    await page.waitForSelector('html[data-hydrated]', { timeout: 120_000 });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        paintMs: paint?.startTime ?? Number.NaN,
        loadMs: nav.loadEventEnd,
        interactiveMs: performance.now(),
      };
    });
    runs.push({ ...timing, transferredKiB: transferred / 1024 });
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
  await rm(work, { recursive: true, force: true });
}

const column = (pick: (run: Run) => number) => {
  const values = runs.map(pick);
  return spread(values, 0);
};
const loadMedian = median(runs.map((run) => run.loadMs));
const report = [
  '# First load of /docs (npm run bench:docs)',
  '',
  `Chromium (${RUNS} runs, a new browser context each: empty cache), the site as \`npm run build\` leaves it`,
  `(precompressed), served over loopback by the docs routes. Milliseconds from navigation start, median [min–max]`,
  `(2 cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}):`,
  '',
  '| first contentful paint | `load` | hydrated (search and menus work) | KiB transferred until hydrated | budget: `load` ≤ 1 s |',
  '|---|---|---|---|---|',
  `| ${column((run) => run.paintMs)} | ${column((run) => run.loadMs)} | ${column((run) => run.interactiveMs)} | ${Math.round(median(runs.map((run) => run.transferredKiB)))} | ${loadMedian <= BUDGET_MS ? 'met' : 'NOT met'} |`,
  '',
].join('\n');
await writeFile(OUT, report);
console.log(report);
