import Koa from 'koa';
import type { Logger } from 'pino';
import type { EventLog } from '../bus/index.js';
import { problemMiddleware } from './problemMiddleware.js';
import { requestLogger } from './requestLogger.js';
import { inventoryRoutes } from './routes/inventory.js';
import { systemRoutes } from './routes/system.js';
import type { StreamSettings } from './sse/index.js';

export interface AppDeps {
  logger: Logger;
  eventLog: EventLog;
  streams: StreamSettings;
  isReady?: () => boolean;
}

/** The Koa application with every route; it does not listen (see server.ts). */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(requestLogger(deps.logger));
  app.use(problemMiddleware(deps.logger));
  for (const router of [systemRoutes({ isReady: deps.isReady ?? (() => true) }), inventoryRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
