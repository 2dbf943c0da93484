import { createServer, type Server } from 'node:http';
import { HttpProblem } from '../errors/index.js';
import type { Metrics } from '../metrics/metrics.js';

const NOT_FOUND = new HttpProblem('not_found', 404, 'Not found', 'This listener answers GET /metrics only.');

/**
 * The Prometheus listener of `METRICS_PORT`: `GET`/`HEAD /metrics` from `metrics` (every worker's series with
 * `WORKERS`), anything else a 404
 * problem. It runs apart from the API's server so that it can listen on an address the public cannot reach.
 */
export function createMetricsServer(metrics: Metrics): Server {
  return createServer(async (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify(NOT_FOUND.toBody(path ?? '/')));
      return;
    }
    const text = await metrics.scrape();
    response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : text);
  });
}
