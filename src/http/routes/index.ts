import type { Logger } from 'pino';
import type { Services } from '../../domain/index.js';
import type { Auth } from '../auth/index.js';
import type { Metrics } from '../metrics/metrics.js';
import { IdempotentWrites } from '../request/IdempotentWrites.js';
import type { OperationRouter } from '../request/OperationRouter.js';
import type { Streams } from '../sse/index.js';
import { authRoutes } from './auth.js';
import { chatRoutes } from './chat.js';
import { inventoryRoutes } from './inventory.js';
import { orderRoutes } from './orders.js';
import { petRoutes } from './pets.js';
import { systemRoutes } from './system.js';
import { userRoutes } from './users.js';

/** What the API's routes answer with. */
export interface ApiRouteDeps {
  readonly services: Services;
  readonly streams: Streams;
  readonly auth: Auth;
  readonly metrics: Metrics;
  readonly isReady: () => boolean;
  /** Route `/metrics` (default true); false when it has a listener of its own (METRICS_PORT). */
  readonly serveMetrics?: boolean;
  /** Where a write that could not keep its Idempotency-Key answer is reported. Default: nowhere. */
  readonly logger?: Logger | undefined;
}

/** Every operation of the OpenAPI document, one router per tag (`POST /v1/dev/tokens` with dev tokens only). */
export function apiRoutes(deps: ApiRouteDeps): OperationRouter[] {
  const { services, streams, auth } = deps;
  const idempotentWrites = new IdempotentWrites(services.idempotency, auth, deps.logger);
  return [
    systemRoutes({ isReady: deps.isReady, metrics: deps.metrics, serveMetrics: deps.serveMetrics ?? true }),
    petRoutes(services, streams, auth, idempotentWrites),
    inventoryRoutes(services, streams, auth, idempotentWrites),
    orderRoutes(services, streams, auth, idempotentWrites),
    userRoutes(services, auth, idempotentWrites),
    authRoutes(services, auth),
    chatRoutes(services, streams),
  ];
}
