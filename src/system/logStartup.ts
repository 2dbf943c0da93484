import type { AddressInfo } from 'node:net';
import type { System } from './createSystem.js';

/** Where `/metrics` is served: its own listener's URL (METRICS_PORT), else `same port`. */
function metricsUrl(system: System): string {
  const address = system.metricsServer?.address();
  if (!address || typeof address === 'string') return 'same port';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/metrics`;
}

/** Logs what a started server runs with, and warns when anyone may mint access tokens on it. */
export function logStartup(system: System, address: AddressInfo): void {
  const { config, logger, auth } = system;
  if (auth.mode === 'dev') {
    logger.warn(
      'AUTH DEV MODE: no AUTH_JWT_SECRET or AUTH_JWKS_URL is set, so access tokens are signed with a ' +
        'random key of this process, and POST /v1/dev/tokens gives anyone a token for any user (staff scopes included). Fine on ' +
        'your machine; never expose it. Set AUTH_JWT_SECRET or AUTH_JWKS_URL (README, "Security").',
    );
  } else if (auth.issueDevToken) {
    logger.warn(
      'AUTH_DEV_TOKENS=true: POST /v1/dev/tokens gives anyone a token for any user, with staff scopes if asked; never in production.',
    );
  }
  const scheme = config.tls ? 'https' : 'http';
  logger.info(
    {
      port: address.port,
      host: address.address,
      protocols: config.tls ? ['h2', 'http/1.1'] : ['http/1.1'],
      database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}`,
      eventLog: config.redisUrl ? 'redis' : 'memory',
      auth: auth.mode,
      devTokens: auth.issueDevToken !== undefined,
      metrics: metricsUrl(system),
    },
    `petstore-sse listening on ${scheme}://localhost:${address.port}`,
  );
}
