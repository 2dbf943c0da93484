import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { operations } from '../../../generated/operations.js';
import type { Services } from '../../../src/domain/index.js';
import { createAuth } from '../../../src/http/auth/index.js';
import { createMetrics } from '../../../src/http/metrics/metrics.js';
import type { OperationRouter } from '../../../src/http/request/OperationRouter.js';
import { apiRoutes } from '../../../src/http/routes/index.js';
import { createStreams } from '../../../src/http/sse/index.js';
import { HeartbeatWheel } from '../../../src/sse/index.js';
import { TEST_AUTH } from '../../helpers/accessTokens.js';

const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
const heartbeat = new HeartbeatWheel(60_000);
afterAll(() => heartbeat.close());

/** The app's API routers, with dev tokens on so that every operation can be routed. */
const routers = apiRoutes({
  // Building the routes touches no service; only their handlers would.
  services: {} as Services,
  streams: createStreams({ retryMs: 1000, heartbeat, logger }),
  auth: createAuth(TEST_AUTH),
  metrics: createMetrics(),
  isReady: () => true,
});

/**
 * The operations the API routers answer. The spec also declares what the router answers by itself (`HEAD` from a
 * GET route, `OPTIONS` from its allowed methods) and the site's paths, served by `src/http/site`.
 */
const SITE_PATHS = [
  '/openapi.json',
  '/openapi-3.2.json',
  '/asyncapi.json',
  '/docs',
  '/docs/{page}',
  '/docs/console/{consolePage}',
  '/',
  '/demo/{file}',
];
const expected = Object.entries(operations)
  .filter(([, operation]) => !['HEAD', 'OPTIONS'].includes(operation.method))
  .filter(([, operation]) => !SITE_PATHS.includes(operation.path))
  .map(([id, operation]) => `${id} ${operation.method} ${operation.koaPath}`);

/** Each route the routers hold, as `operationId METHOD path`, or `? METHOD path` for one of no operation. */
function routesOf(list: readonly OperationRouter[]): string[] {
  return list.flatMap((api) => {
    const ids = [...api.operationIds];
    return api.router.stack.map((layer) => {
      const method = layer.methods.find((name) => name !== 'HEAD') ?? '';
      const id = ids.find((candidate) => {
        const operation = operations[candidate];
        return operation.method === method && operation.koaPath === layer.path;
      });
      return `${id ?? '?'} ${method} ${layer.path}`;
    });
  });
}

describe('the routes and the OpenAPI operations', () => {
  it('route every operation of the spec exactly once, at its method and path', () => {
    expect(routesOf(routers).sort()).toEqual(expected.sort());
  });

  it('hold no route that is not an operation of the spec', () => {
    expect(routesOf(routers).filter((route) => route.startsWith('?'))).toEqual([]);
  });

  it('fail the check when an operation has no route, or a route has no operation', () => {
    const withoutPets = routesOf(routers.slice(0, 1).concat(routers.slice(2)));
    expect(withoutPets.sort()).not.toEqual(expected.sort());
    const extra = routers[0]!;
    extra.router.get('/v1/not-in-the-spec', () => {});
    expect(routesOf([extra]).filter((route) => route.startsWith('?'))).toEqual(['? GET /v1/not-in-the-spec']);
  });
});
