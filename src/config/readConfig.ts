import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createSecureContext } from 'node:tls';
import proxyAddr from 'proxy-addr';
import { type AuthConfig, readAuthConfig } from './authConfig.js';
import { ConfigError } from './ConfigError.js';

/** The server's configuration, read from the environment. */
export interface Config {
  port: number;
  host: string;
  heartbeatMs: number;
  /** How long a stream's client may take nothing of what waits for it before it is dropped (SSE_SLOW_CLIENT_MS). */
  slowClientMs: number;
  retryMs: number;
  /** Each stream's first `retry:` is `retryMs` plus up to this share of it at random (0.5 = up to +50 %). */
  retryJitter: number;
  orderStepMs: number;
  /** Events each stream keeps in the database for resumes (EVENT_LOG_SIZE). */
  eventLogSize: number;
  /** How the event log keeps and carries events (EVENT_LOG_*, EVENT_RELAY_*, EVENT_REDIS_*). */
  eventLog: EventLogConfig;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /**
   * Server processes on the one port (WORKERS): above 1, a primary forks that many workers with `node:cluster`,
   * each a full instance on the shared Postgres and Redis. Default: the number of cores with DATABASE_URL and
   * REDIS_URL both set, else 1 (the embedded database belongs to one process).
   */
  workers: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** An OpenAI-compatible chat completions endpoint the pet advisor chat forwards to, if any. */
  chatUpstream: { url: string; model: string | undefined; apiKey: string | undefined } | undefined;
  /** Graceful shutdown: the window open streams are ended over, and how long in-flight requests may take. */
  shutdown: { spreadMs: number; timeoutMs: number };
  limits: Limits;
  /** Which peers are proxies whose forwarded client address is believed (TRUST_PROXY, TRUST_PROXY_HEADER). */
  proxy: ProxyConfig;
  /** Deadlines of a request and of an idle connection, and the cap on one client's connections. */
  connections: ConnectionLimits;
  /** Origins allowed to call the API from a browser (CORS); empty: same-origin only. */
  corsOrigins: string[];
  /** With TLS_CERT and TLS_KEY: serve HTTP/2 and HTTP/1.1 over TLS. Unset: plain HTTP/1.1. */
  tls: TlsConfig | undefined;
  /** How access tokens are checked (AUTH_*; dev mode without a key), and the lifetime of stream tickets. */
  auth: AuthConfig;
  /** `Idempotency-Key`: how long a key and its answer are kept, and how long an unanswered claim holds. */
  idempotency: { ttlSeconds: number; leaseSeconds: number };
  /**
   * Where `/metrics` is served: with METRICS_PORT, on its own listener (METRICS_HOST, default 127.0.0.1) and
   * no longer on the API's port; without it, on the API's port.
   */
  metrics: { port: number | undefined; host: string };
}

/** How long the event log keeps events, and how it carries them through Redis. */
export interface EventLogConfig {
  /** Events older than this are pruned (EVENT_LOG_RETENTION_SECONDS, default 86 400). */
  retentionSeconds: number;
  /** How often pruning runs (EVENT_LOG_PRUNE_MS, default 60 000). */
  pruneMs: number;
  /** How often this instance checks that Redis has every committed event (EVENT_RELAY_SWEEP_MS, default 1000). */
  relaySweepMs: number;
  /** How long a publish or a new stream waits for Redis (EVENT_REDIS_TIMEOUT_MS, default 1000). */
  redisTimeoutMs: number;
  /** How long Redis may be away before open streams are told (EVENT_REDIS_OUTAGE_MS, default 2000). */
  redisOutageMs: number;
}

/** The server's certificate and private key, read from the PEM files TLS_CERT and TLS_KEY name. */
export interface TlsConfig {
  /** The certificate (chain), PEM. */
  cert: Buffer;
  /** Its private key, PEM (unencrypted). */
  key: Buffer;
}

/** Caps on what one client, and all clients together, may hold or ask. */
export interface Limits {
  /** Concurrent streams of the whole server. */
  maxStreams: number;
  /** Concurrent streams of one client (its IP address). */
  maxStreamsPerClient: number;
  /** REST requests per minute of one client (its IP address); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Largest request line plus headers, in bytes; larger ones are answered 431. */
  maxHeaderBytes: number;
  /**
   * With REDIS_URL: how long a stream's slot in the shared per-client cap lives unless its instance renews it
   * (every third of it while the stream is open), so the slots of an instance that died free themselves.
   */
  streamLeaseMs: number;
}

/** The proxies in front of the server, and the header they write the client's address to. */
export interface ProxyConfig {
  /**
   * Addresses and CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`) of trusted proxies. Empty: no proxy is
   * trusted, and the client is always the TCP peer.
   */
  trust: string[];
  /** The header a trusted proxy appends the address of its peer to. */
  header: 'x-forwarded-for' | 'forwarded';
}

/** What one TCP connection may take and what one client (TCP peer address) may hold. */
export interface ConnectionLimits {
  /** Time from a request's first byte to the end of its headers (HTTP_HEADERS_TIMEOUT_MS); then `408`. */
  headersTimeoutMs: number;
  /** Time from the end of a request's headers to the end of its body (HTTP_BODY_TIMEOUT_MS); then `408`. */
  bodyTimeoutMs: number;
  /** Idle time after which a connection with nothing in flight is closed (HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** Open TCP connections (HTTP/1.1 or HTTP/2) of one peer address (MAX_CONNECTIONS_PER_CLIENT); 0: no cap. */
  maxPerClient: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

const optional = (env: NodeJS.ProcessEnv, name: string): string | undefined =>
  env[name] ? env[name] : undefined;

/** SSE_RETRY_MS, at least SSE_RETRY_MIN_MS (1000 unless a test lowers it): a shorter retry floods a server. */
function retryMs(env: NodeJS.ProcessEnv): number {
  const min = integer(env, 'SSE_RETRY_MIN_MS', 1000, 0, 3_600_000);
  const raw = env.SSE_RETRY_MS ?? '';
  const value = integer(env, 'SSE_RETRY_MS', 3000, 0, 3_600_000);
  if (value < min) {
    throw new ConfigError(
      'SSE_RETRY_MS',
      raw,
      `at least ${min} (SSE_RETRY_MIN_MS): every client reconnects after this delay`,
    );
  }
  return value;
}

function corsOrigins(env: NodeJS.ProcessEnv): string[] {
  const raw = env.CORS_ORIGINS ?? '';
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin || !/^https?:/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', raw, 'comma-separated origins such as https://shop.example.com');
    }
  }
  return origins;
}

function limits(env: NodeJS.ProcessEnv): Limits {
  return {
    maxStreams: integer(env, 'MAX_STREAMS', 10_000, 1, 10_000_000),
    maxStreamsPerClient: integer(env, 'MAX_STREAMS_PER_CLIENT', 100, 1, 10_000_000),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
    maxHeaderBytes: integer(env, 'MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    streamLeaseMs: integer(env, 'STREAM_LEASE_MS', 30_000, 300, 3_600_000),
  };
}

/** TRUST_PROXY: a comma- or space-separated list that `proxy-addr` compiles; TRUST_PROXY_HEADER names the header. */
function proxy(env: NodeJS.ProcessEnv): ProxyConfig {
  const raw = env.TRUST_PROXY ?? '';
  const trust = raw.split(/[\s,]+/).filter((entry) => entry !== '');
  try {
    proxyAddr.compile(trust);
  } catch (error) {
    throw new ConfigError(
      'TRUST_PROXY',
      raw,
      `addresses or CIDR ranges (or loopback, linklocal, uniquelocal) separated by commas (${(error as Error).message})`,
    );
  }
  const header = (env.TRUST_PROXY_HEADER || 'x-forwarded-for').toLowerCase();
  if (header !== 'x-forwarded-for' && header !== 'forwarded') {
    throw new ConfigError('TRUST_PROXY_HEADER', header, 'x-forwarded-for or forwarded');
  }
  return { trust, header };
}

function connections(env: NodeJS.ProcessEnv): ConnectionLimits {
  return {
    headersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 30_000, 100, 600_000),
    bodyTimeoutMs: integer(env, 'HTTP_BODY_TIMEOUT_MS', 30_000, 100, 600_000),
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    maxPerClient: integer(env, 'MAX_CONNECTIONS_PER_CLIENT', 256, 0, 10_000_000),
  };
}

/** WORKERS: more than one only on a Postgres server and Redis, which every worker shares. */
function workers(env: NodeJS.ProcessEnv): number {
  const shared = Boolean(optional(env, 'DATABASE_URL') && optional(env, 'REDIS_URL'));
  const count = integer(env, 'WORKERS', shared ? availableParallelism() : 1, 1, 1024);
  if (count > 1 && !shared) {
    throw new ConfigError(
      'WORKERS',
      env.WORKERS ?? '',
      '1 without both DATABASE_URL and REDIS_URL: the embedded database (PGlite) and the in-memory event log ' +
        'belong to one process, so several workers need a Postgres server and Redis to share',
    );
  }
  return count;
}

function chatUpstream(env: NodeJS.ProcessEnv): Config['chatUpstream'] {
  const url = optional(env, 'CHAT_UPSTREAM_URL');
  if (url === undefined) return undefined;
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
    throw new ConfigError('CHAT_UPSTREAM_URL', url, 'an http:// or https:// URL');
  }
  return { url, model: optional(env, 'CHAT_UPSTREAM_MODEL'), apiKey: optional(env, 'CHAT_UPSTREAM_API_KEY') };
}

/** Reads a PEM file holding a block labelled to match `label`, or fails naming the variable. */
function readPem(name: string, path: string, label: RegExp, what: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw new ConfigError(name, path, `a readable PEM file with ${what} (${(error as Error).message})`);
  }
  if (!label.test(pem.toString('latin1'))) throw new ConfigError(name, path, `a PEM file with ${what}`);
  return pem;
}

/** TLS_CERT and TLS_KEY: both or neither; readable PEM files; a key that belongs to the certificate. */
function tls(env: NodeJS.ProcessEnv): TlsConfig | undefined {
  const certFile = optional(env, 'TLS_CERT');
  const keyFile = optional(env, 'TLS_KEY');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const missing = certFile === undefined ? 'TLS_CERT' : 'TLS_KEY';
    throw new ConfigError(
      missing,
      '',
      'a PEM file path too: TLS needs both TLS_CERT and TLS_KEY, or neither',
    );
  }
  const cert = readPem('TLS_CERT', certFile, /-----BEGIN CERTIFICATE-----/, 'a certificate');
  const key = readPem(
    'TLS_KEY',
    keyFile,
    /-----BEGIN (?:RSA |EC |DSA )?PRIVATE KEY-----/,
    'an unencrypted private key',
  );
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError(
      'TLS_KEY',
      keyFile,
      `the private key of the TLS_CERT certificate (${(error as Error).message})`,
    );
  }
  return { cert, key };
}

/**
 * Reads the configuration. Defaults: PORT 3000, HOST 0.0.0.0, SSE_HEARTBEAT_MS 15000, SSE_RETRY_MS 3000,
 * ORDER_STEP_MS 2000, EVENT_LOG_SIZE 1000, DATA_DIR ./data (embedded database), LOG_LEVEL info. Event log:
 * EVENT_LOG_RETENTION_SECONDS 86400, EVENT_LOG_PRUNE_MS 60000, EVENT_RELAY_SWEEP_MS 1000,
 * EVENT_REDIS_TIMEOUT_MS 1000, EVENT_REDIS_OUTAGE_MS 2000.
 * DATABASE_URL and REDIS_URL are unset by default (embedded database, in-memory event log); REDIS_KEY_PREFIX
 * (default `petstore:`) namespaces the Redis keys. WORKERS defaults to the number of cores when DATABASE_URL and
 * REDIS_URL are both set, else 1; more than 1 without both is refused. CHAT_UPSTREAM_URL (with CHAT_UPSTREAM_MODEL and
 * CHAT_UPSTREAM_API_KEY) is unset by default: the built-in pet advisor answers the chat.
 * Shutdown: SHUTDOWN_SPREAD_MS 5000 (open streams are ended over this window), SHUTDOWN_TIMEOUT_MS 10000
 * (then connections still busy are cut). SSE_RETRY_MS must be at least SSE_RETRY_MIN_MS (1000; tests lower
 * it); SSE_RETRY_JITTER_PERCENT 50. Limits: MAX_STREAMS 10000, MAX_STREAMS_PER_CLIENT 100,
 * RATE_LIMIT_PER_MINUTE 600 (0: off), MAX_HEADER_BYTES 16384, STREAM_LEASE_MS 30000 (with REDIS_URL); CORS_ORIGINS
 * unset (same-origin only). TRUST_PROXY unset (no proxy trusted: the client is the TCP peer), TRUST_PROXY_HEADER
 * x-forwarded-for.
 * Connections: HTTP_HEADERS_TIMEOUT_MS 30000, HTTP_BODY_TIMEOUT_MS 30000, HTTP_KEEP_ALIVE_TIMEOUT_MS 5000,
 * MAX_CONNECTIONS_PER_CLIENT 256 (0: no cap); SSE_SLOW_CLIENT_MS 30000 (0: off).
 * TLS_CERT and TLS_KEY are unset by default (plain HTTP/1.1); with both, the PEM files are read at once.
 * Auth: see `readAuthConfig` (no AUTH_JWT_SECRET or AUTH_JWKS_URL: dev mode).
 * Idempotency keys: IDEMPOTENCY_KEY_TTL_SECONDS 86400 (a day), IDEMPOTENCY_LEASE_SECONDS 60 (a claim whose
 * request has not answered by then, its process having died, may be taken over by a retry).
 * Metrics: METRICS_PORT unset (`/metrics` on the API's port); set, `/metrics` moves to its own listener on
 * METRICS_HOST (127.0.0.1) and that port.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', logLevel, LOG_LEVELS.join(' | '));
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    heartbeatMs: integer(env, 'SSE_HEARTBEAT_MS', 15_000, 10, 3_600_000),
    slowClientMs: integer(env, 'SSE_SLOW_CLIENT_MS', 30_000, 0, 3_600_000),
    retryMs: retryMs(env),
    retryJitter: integer(env, 'SSE_RETRY_JITTER_PERCENT', 50, 0, 100) / 100,
    orderStepMs: integer(env, 'ORDER_STEP_MS', 2000, 0, 3_600_000),
    eventLogSize: integer(env, 'EVENT_LOG_SIZE', 1000, 1, 10_000_000),
    eventLog: {
      retentionSeconds: integer(env, 'EVENT_LOG_RETENTION_SECONDS', 86_400, 1, 31_536_000),
      pruneMs: integer(env, 'EVENT_LOG_PRUNE_MS', 60_000, 10, 86_400_000),
      relaySweepMs: integer(env, 'EVENT_RELAY_SWEEP_MS', 1000, 10, 3_600_000),
      redisTimeoutMs: integer(env, 'EVENT_REDIS_TIMEOUT_MS', 1000, 10, 60_000),
      redisOutageMs: integer(env, 'EVENT_REDIS_OUTAGE_MS', 2000, 10, 600_000),
    },
    dataDir: env.DATA_DIR || './data',
    databaseUrl: optional(env, 'DATABASE_URL'),
    redisUrl: optional(env, 'REDIS_URL'),
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'petstore:',
    workers: workers(env),
    logLevel: logLevel as Config['logLevel'],
    chatUpstream: chatUpstream(env),
    shutdown: {
      spreadMs: integer(env, 'SHUTDOWN_SPREAD_MS', 5000, 0, 600_000),
      timeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    },
    limits: limits(env),
    proxy: proxy(env),
    connections: connections(env),
    corsOrigins: corsOrigins(env),
    tls: tls(env),
    auth: readAuthConfig(env),
    idempotency: {
      ttlSeconds: integer(env, 'IDEMPOTENCY_KEY_TTL_SECONDS', 86_400, 1, 31_536_000),
      leaseSeconds: integer(env, 'IDEMPOTENCY_LEASE_SECONDS', 60, 1, 86_400),
    },
    metrics: {
      port: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
      host: env.METRICS_HOST || '127.0.0.1',
    },
  };
}
