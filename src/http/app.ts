import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Services } from '../domain/index.js';
import { type Auth, createAuth, DEV_AUTH } from './auth/index.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { clientAddress, type ProxyTrust } from './middleware/clientAddress.js';
import { cors } from './middleware/cors.js';
import { problemMiddleware } from './middleware/problemMiddleware.js';
import { type RequestLimiter, rateLimit } from './middleware/rateLimit.js';
import { recordResponses } from './middleware/recordResponses.js';
import { requestLogger } from './middleware/requestLogger.js';
import { requireHost } from './middleware/requireHost.js';
import { apiRoutes } from './routes/index.js';
import { StreamingKoa } from './StreamingKoa.js';
import { demoRoutes } from './site/demo.js';
import { docsRoutes } from './site/docs.js';
import { specDocumentRoutes } from './site/specDocuments.js';
import { createStreams, jitteredRetry, OpenStreams, type StreamSettings } from './sse/index.js';

export interface AppDeps {
  logger: Logger;
  services: Services;
  streams: StreamSettings;
  isReady?: () => boolean;
  /** The app's Prometheus instruments, answered at `/metrics`. Default: a new registry for this app. */
  metrics?: Metrics;
  /** Answer `/metrics` on this app. Default: true; false when a separate listener serves it (METRICS_PORT). */
  serveMetrics?: boolean;
  /** Origins allowed to call from a browser (CORS). Default: none, same-origin only. */
  corsOrigins?: readonly string[];
  /** REST requests per minute of one client (429 beyond). Default: 0, no limit. */
  rateLimitPerMinute?: number;
  /** Counts them: Redis shared by every instance (REDIS_URL). Default: this process's memory. */
  rateLimiter?: RequestLimiter | undefined;
  /** Told when the shared limits' store fails (the request goes on; see `rateLimit`). */
  onLimitError?: ((error: Error) => void) | undefined;
  /**
   * Proxies whose forwarded client address is believed (TRUST_PROXY). Default: none; the client is the TCP
   * peer.
   */
  proxy?: ProxyTrust;
  /** The built docs site served at `/docs`; default `dist/docs` (see `npm run docs`). */
  docsDir?: string | undefined;
  /** The built demo page served at `/`; default `dist/demo` (see `npm run demo:build`). */
  demoDir?: string | undefined;
  /**
   * How order, user and ticket requests are authenticated (see `createAuth`). Default: a random key of this
   * app and no demo tokens, so no token is ever valid and every such request is answered 401.
   */
  auth?: Auth;
}

/**
 * The Koa application with every route; it does not listen (see `server/`). The per-channel registry of its
 * streams (options, frame cache, logger, metrics of each channel) is built here, once.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new StreamingKoa();
  app.silent = true;
  recordResponses(app);
  app.use(clientAddress(deps.proxy ?? { trust: [], header: 'x-forwarded-for' }));
  app.use(requestLogger(deps.logger));
  app.use(problemMiddleware(deps.logger));
  app.use(requireHost());
  const metrics = deps.metrics ?? createMetrics();
  app.use(cors(deps.corsOrigins ?? []));
  app.use(
    rateLimit({
      perMinute: deps.rateLimitPerMinute ?? 0,
      limiter: deps.rateLimiter,
      metrics,
      onError: deps.onLimitError,
    }),
  );
  const settings: StreamSettings = {
    ...deps.streams,
    openStreams: deps.streams.openStreams ?? new OpenStreams(),
  };
  closeStreamsOnShutdown(settings);
  const streams = createStreams(settings, metrics);
  const auth = deps.auth ?? createAuth({ ...DEV_AUTH, devTokens: false });
  const routers = [
    ...apiRoutes({
      services: deps.services,
      streams,
      auth,
      metrics,
      isReady: deps.isReady ?? (() => true),
      serveMetrics: deps.serveMetrics ?? true,
      logger: deps.logger,
    }).map((api) => api.router),
    specDocumentRoutes(),
    docsRoutes({ dir: deps.docsDir }),
    demoRoutes({ dir: deps.demoDir }),
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}

/** Ends every stream still open when the server's `shutdown` signal aborts (a drain normally ended them all). */
function closeStreamsOnShutdown(streams: StreamSettings): void {
  const { shutdown, openStreams } = streams;
  shutdown?.addEventListener(
    'abort',
    () => openStreams?.closeAll(() => jitteredRetry(streams.retryMs, streams.retryJitter ?? 0)),
    { once: true },
  );
}
