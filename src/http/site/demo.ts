import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Context } from 'koa';
import { HttpProblem, NotFoundProblem } from '../errors/index.js';
import { serveStaticFile } from './staticFiles.js';

/** Where `npm run demo:build` writes the demo page. */
const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../dist/demo', import.meta.url));

/**
 * The demo page loads its bundle, styles and icon from this server and talks only to it: no inline script
 * or style, no other origin, no plugins, no framing.
 */
const DEMO_CSP = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DemoRouteDeps {
  /** The built demo page; default `dist/demo`. */
  dir?: string | undefined;
}

const notBuilt = () =>
  new HttpProblem(
    'not_found',
    404,
    'Demo page not built',
    'The demo page has not been built: run `npm run demo:build` (`npm start` builds it first), then reload.',
  );

const demoHeaders = (file: string) => (file.endsWith('.html') ? { 'Content-Security-Policy': DEMO_CSP } : {});

/** Answers the demo page's file at `requested` (as requested, percent-encoded), or a 404 problem. */
async function serveDemoFile(ctx: Context, dir: string, requested: string): Promise<void> {
  if (await serveStaticFile(ctx, dir, requested, demoHeaders)) return;
  const built = await stat(path.join(dir, 'index.html')).catch(() => undefined);
  throw built ? new NotFoundProblem(`The demo page has no file at ${ctx.path}.`) : notBuilt();
}

/**
 * The demo page built by `npm run demo:build` (from `src/demo`): `GET /` answers its `index.html`, and
 * `/demo/*` the bundle, styles and icon it loads.
 */
export function demoRoutes(deps: DemoRouteDeps = {}): Router {
  const dir = deps.dir ?? DEFAULT_DEMO_DIR;
  const router = new Router();
  router.get('/', (ctx) => serveDemoFile(ctx, dir, '/'));
  router.get('/demo/{*path}', (ctx) => serveDemoFile(ctx, dir, ctx.path.slice('/demo'.length)));
  return router;
}
