import Router from '@koa/router';
import asyncapi from '../../../generated/specs/asyncapi.json' with { type: 'json' };
import openapi from '../../../generated/specs/openapi.json' with { type: 'json' };
import openapi32 from '../../../generated/specs/openapi-3.2.json' with { type: 'json' };
import { createMetrics, type Metrics } from '../metrics/metrics.js';

export interface SystemRouteDeps {
  /** False while starting or shutting down; `/readyz` answers 503 then. */
  isReady: () => boolean;
  /** Answered at `/metrics` in the Prometheus text format. Default: a new, empty registry. */
  metrics?: Metrics;
}

/** Health, readiness, Prometheus metrics and the bundled contract documents (OpenAPI 3.1 and 3.2, AsyncAPI 3.0). */
export function systemRoutes(deps: SystemRouteDeps): Router {
  const router = new Router();
  const metrics = deps.metrics ?? createMetrics();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', (ctx) => {
    if (deps.isReady()) {
      ctx.body = { status: 'ok' };
      return;
    }
    ctx.status = 503;
    ctx.type = 'application/problem+json';
    ctx.body = {
      type: '/problems/not-ready',
      title: 'Not ready',
      status: 503,
      detail: 'The server is starting or shutting down.',
    };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await metrics.registry.metrics();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/openapi-3.2.json', (ctx) => {
    ctx.body = openapi32;
  });
  router.get('/asyncapi.json', (ctx) => {
    ctx.body = asyncapi;
  });
  return router;
}
