export {
  ConnectionsPerClient,
  type ConnectionsPerClientOptions,
  peerAddress,
} from './ConnectionsPerClient.js';
export { createHttpServer, type HttpServerOptions } from './createHttpServer.js';
export { createTlsServer, type TlsServer, type TlsServerOptions } from './createTlsServer.js';
export { createMetricsServer } from './metricsServer.js';
export { type AppServer, closeGracefully, cutConnections, listen } from './serverLifecycle.js';
export type { ConnectionPolicy } from './serverLimits.js';
