import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { HttpProblem, NotFoundProblem } from '../errors/index.js';
import { serveStaticFile } from './staticFiles.js';

/** Where `npm run docs` writes the docs site. */
const DEFAULT_DOCS_DIR = fileURLToPath(new URL('../../../dist/docs', import.meta.url));

/**
 * The docs pages run Redoc from the bundle beside them: nothing may load from another origin. Redoc needs
 * inline scripts and styles (the page embeds the contract) and a blob: worker for search.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const docsHeaders = (file: string) => (file.endsWith('.html') ? { 'Content-Security-Policy': DOCS_CSP } : {});

export interface DocsRouteDeps {
  /** The built docs site; default `dist/docs`. */
  dir?: string | undefined;
}

const notBuilt = () =>
  new HttpProblem(
    'not_found',
    404,
    'Docs site not built',
    'The docs site has not been built: run `npm run docs` (`npm start` builds it first), then reload.',
  );

/**
 * The docs site built by `npm run docs`: `/docs` (REST reference) and `/docs/asyncapi` (channels and
 * events). `/docs` redirects to `/docs/` so the pages' relative links resolve.
 */
export function docsRoutes(deps: DocsRouteDeps = {}): Router {
  const dir = deps.dir ?? DEFAULT_DOCS_DIR;
  const router = new Router();
  router.get('/docs{/*path}', async (ctx) => {
    if (ctx.path === '/docs') {
      ctx.status = 301;
      ctx.redirect(`/docs/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    if (await serveStaticFile(ctx, dir, ctx.path.slice('/docs'.length), docsHeaders)) return;
    const built = await stat(path.join(dir, 'index.html')).catch(() => undefined);
    throw built ? new NotFoundProblem(`The docs site has no page at ${ctx.path}.`) : notBuilt();
  });
  return router;
}
