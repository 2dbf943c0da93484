/** The server's configuration, read from the environment. */
export interface Config {
  port: number;
  host: string;
  heartbeatMs: number;
  retryMs: number;
  orderStepMs: number;
  eventLogSize: number;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** An OpenAI-compatible chat completions endpoint the pet advisor chat forwards to, if any. */
  chatUpstream: { url: string; model: string | undefined; apiKey: string | undefined } | undefined;
}

/** Thrown when an environment variable has a value the server cannot use. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(name: string, value: string, expected: string) {
    super(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}.`);
    this.name = 'ConfigError';
  }
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

function chatUpstream(env: NodeJS.ProcessEnv): Config['chatUpstream'] {
  const url = optional(env, 'CHAT_UPSTREAM_URL');
  if (url === undefined) return undefined;
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
    throw new ConfigError('CHAT_UPSTREAM_URL', url, 'an http:// or https:// URL');
  }
  return { url, model: optional(env, 'CHAT_UPSTREAM_MODEL'), apiKey: optional(env, 'CHAT_UPSTREAM_API_KEY') };
}

/**
 * Reads the configuration. Defaults: PORT 3000, HOST 0.0.0.0, SSE_HEARTBEAT_MS 15000, SSE_RETRY_MS 3000,
 * ORDER_STEP_MS 2000, EVENT_LOG_SIZE 1000, DATA_DIR ./data (embedded database), LOG_LEVEL info.
 * DATABASE_URL and REDIS_URL are unset by default (embedded database, in-memory event log); REDIS_KEY_PREFIX
 * (default `petstore:`) namespaces the Redis keys. CHAT_UPSTREAM_URL (with CHAT_UPSTREAM_MODEL and
 * CHAT_UPSTREAM_API_KEY) is unset by default: the built-in pet advisor answers the chat.
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
    retryMs: integer(env, 'SSE_RETRY_MS', 3000, 0, 3_600_000),
    orderStepMs: integer(env, 'ORDER_STEP_MS', 2000, 0, 3_600_000),
    eventLogSize: integer(env, 'EVENT_LOG_SIZE', 1000, 1, 10_000_000),
    dataDir: env.DATA_DIR || './data',
    databaseUrl: optional(env, 'DATABASE_URL'),
    redisUrl: optional(env, 'REDIS_URL'),
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'petstore:',
    logLevel: logLevel as Config['logLevel'],
    chatUpstream: chatUpstream(env),
  };
}
