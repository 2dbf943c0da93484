import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { OperationRouter } from '../request/OperationRouter.js';

export interface SystemRouteDeps {
  /** False while starting or shutting down; `/readyz` answers 503 then. */
  isReady: () => boolean;
  /** Answered at `/metrics` in the Prometheus text format. Default: a new, empty registry. */
  metrics?: Metrics;
  /** Route `/metrics` here. Default: true; false when a listener of its own serves it (then: 404). */
  serveMetrics?: boolean;
}

/** Routes of the `system` tag: health, readiness and Prometheus metrics. */
export function systemRoutes(deps: SystemRouteDeps): OperationRouter {
  const metrics = deps.metrics ?? createMetrics();
  const router = new OperationRouter()
    .on('getHealth', async () => ({ status: 200, body: { status: 'ok' } }))
    .on('getReadiness', async (_request, ctx) => {
      if (deps.isReady()) return { status: 200, body: { status: 'ok' } };
      ctx.type = 'application/problem+json';
      return {
        status: 503,
        body: {
          type: '/problems/not-ready',
          title: 'Not ready',
          status: 503,
          detail: 'The server is starting or shutting down.',
        },
      };
    });
  if (deps.serveMetrics === false) return router;
  return router.on('getMetrics', async (_request, ctx) => {
    ctx.type = metrics.registry.contentType;
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: await metrics.scrape(),
    };
  });
}
