import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import { problemMiddleware } from '../../src/http/middleware/problemMiddleware.js';
import { systemRoutes } from '../../src/http/routes/system.js';
import { createHttpServer, listen } from '../../src/http/server/index.js';
import { specDocumentRoutes } from '../../src/http/site/specDocuments.js';

/** A server for routes that need no services, such as the docs site's or the demo page's. */
export interface StartedSite {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a Koa server on 127.0.0.1, port 0, with the system routes and `site`, errors answered as
 * problem+json: the static routes tested without the whole app.
 */
export async function startStaticSite(site: Router): Promise<StartedSite> {
  const app = new Koa();
  app.use(problemMiddleware(pino({ level: 'silent' })));
  for (const router of [systemRoutes({ isReady: () => true }).router, specDocumentRoutes(), site]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  const server = createHttpServer(app);
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
