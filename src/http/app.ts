import Koa from 'koa';
import type { Logger } from 'pino';
import type { Services } from '../domain/index.js';
import { problemMiddleware } from './problemMiddleware.js';
import { requestLogger } from './requestLogger.js';
import { chatRoutes } from './routes/chat.js';
import { docsRoutes } from './routes/docs.js';
import { inventoryRoutes } from './routes/inventory.js';
import { orderRoutes } from './routes/orders.js';
import { petRoutes } from './routes/pets.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';
import type { StreamSettings } from './sse/index.js';

export interface AppDeps {
  logger: Logger;
  services: Services;
  streams: StreamSettings;
  isReady?: () => boolean;
  /** The built docs site served at `/docs`; default `dist/docs` (see `npm run docs`). */
  docsDir?: string | undefined;
}

/** The Koa application with every route; it does not listen (see server.ts). */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(requestLogger(deps.logger));
  app.use(problemMiddleware(deps.logger));
  const routers = [
    systemRoutes({ isReady: deps.isReady ?? (() => true) }),
    petRoutes(deps.services, deps.streams),
    inventoryRoutes(deps.services, deps.streams),
    orderRoutes(deps.services, deps.streams),
    userRoutes(deps.services),
    chatRoutes(deps.services, deps.streams),
    docsRoutes({ dir: deps.docsDir }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
