import {
  type AuthSettings,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_SCOPES_CLAIM,
  HMAC_ALGORITHMS,
  PUBLIC_KEY_ALGORITHMS,
  type VerificationKey,
} from './AuthSettings.js';
import { ConfigError } from './ConfigError.js';

/** Authentication settings read from the environment, and the lifetime of stream tickets. */
export interface AuthConfig {
  settings: AuthSettings;
  streamTicketTtlSeconds: number;
}

/** Secret bytes an HMAC algorithm needs at least (RFC 7518 §3.2: the size of its hash). */
const MIN_SECRET_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new ConfigError(name, raw, `whole seconds from ${min} to ${max}`);
  return value;
}

function verificationKey(env: NodeJS.ProcessEnv): VerificationKey {
  const secret = env.AUTH_JWT_SECRET || undefined;
  const url = env.AUTH_JWKS_URL || undefined;
  if (secret !== undefined && url !== undefined) {
    throw new ConfigError('AUTH_JWKS_URL', url, 'unset when AUTH_JWT_SECRET is set: choose one key source');
  }
  if (url !== undefined) {
    if (!isKeySetUrl(url))
      throw new ConfigError(
        'AUTH_JWKS_URL',
        url,
        'an https:// URL of a JSON Web Key Set (http:// only on a loopback address: whoever can answer it can forge any token)',
      );
    return { kind: 'jwks', url };
  }
  if (secret === undefined && env.NODE_ENV === 'production') {
    throw new ConfigError(
      'AUTH_JWT_SECRET',
      '',
      'a secret (or AUTH_JWKS_URL) when NODE_ENV=production: dev mode would let anyone mint tokens',
    );
  }
  return secret === undefined ? { kind: 'dev' } : { kind: 'secret', secret };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https:// URL, or an http:// one on this machine (where nobody between can swap the keys). */
function isKeySetUrl(raw: string): boolean {
  if (!URL.canParse(raw)) return false;
  const url = new URL(raw);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

function algorithms(env: NodeJS.ProcessEnv, key: VerificationKey): string[] {
  const allowed: readonly string[] = key.kind === 'jwks' ? PUBLIC_KEY_ALGORITHMS : HMAC_ALGORITHMS;
  const raw = env.AUTH_ALGORITHMS ?? '';
  if (raw.trim() === '') return key.kind === 'jwks' ? ['RS256', 'ES256'] : ['HS256'];
  const names = raw.split(',').map((name) => name.trim());
  if (names.some((name) => !allowed.includes(name))) {
    const source = key.kind === 'jwks' ? 'AUTH_JWKS_URL (public keys)' : 'a shared secret';
    throw new ConfigError(
      'AUTH_ALGORITHMS',
      raw,
      `a comma-separated list of ${allowed.join(', ')} with ${source}`,
    );
  }
  return names;
}

function checkSecretLength(key: VerificationKey, names: readonly string[]): void {
  if (key.kind !== 'secret') return;
  const needed = Math.max(...names.map((name) => MIN_SECRET_BYTES[name] ?? 32));
  if (Buffer.byteLength(key.secret) < needed) {
    throw new ConfigError(
      'AUTH_JWT_SECRET',
      '[redacted]',
      `at least ${needed} bytes for ${names.join(', ')}`,
    );
  }
}

/** A required-with-JWKS claim value: an external issuer must be named, never guessed. */
function claim(env: NodeJS.ProcessEnv, name: string, key: VerificationKey, fallback: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (key.kind === 'jwks') throw new ConfigError(name, '', 'a value: it is required with AUTH_JWKS_URL');
  return fallback;
}

function devTokens(env: NodeJS.ProcessEnv, key: VerificationKey): boolean {
  const raw = env.AUTH_DEV_TOKENS ?? '';
  if (raw === '') return key.kind === 'dev';
  if (raw !== 'true' && raw !== 'false') throw new ConfigError('AUTH_DEV_TOKENS', raw, 'true or false');
  if (raw === 'true' && env.NODE_ENV === 'production') {
    throw new ConfigError(
      'AUTH_DEV_TOKENS',
      raw,
      'false or unset when NODE_ENV=production: POST /v1/dev/tokens would let anyone mint tokens, staff ones included',
    );
  }
  if (raw === 'true' && key.kind === 'jwks') {
    throw new ConfigError(
      'AUTH_DEV_TOKENS',
      raw,
      'false with AUTH_JWKS_URL: the server holds no signing key',
    );
  }
  return raw === 'true';
}

/** A claim name as JWTs use them: letters, digits and `_ : . -` (e.g. `scope`, `scp`, `roles`). */
const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/;

function scopesClaim(env: NodeJS.ProcessEnv): string {
  const raw = env.AUTH_SCOPES_CLAIM ?? '';
  if (raw === '') return DEFAULT_SCOPES_CLAIM;
  if (!CLAIM_NAME.test(raw))
    throw new ConfigError('AUTH_SCOPES_CLAIM', raw, 'a claim name such as scope or scp');
  return raw;
}

/**
 * Reads the AUTH_* variables. No AUTH_JWT_SECRET and no AUTH_JWKS_URL: dev mode (a random key per process,
 * HS256, demo tokens on). AUTH_JWT_SECRET: HMAC (default HS256; at least 32 bytes, 48 for HS384, 64 for
 * HS512). AUTH_JWKS_URL: public keys (default RS256, ES256), and AUTH_ISSUER and AUTH_AUDIENCE are required.
 * Otherwise AUTH_ISSUER and AUTH_AUDIENCE default to `petstore-sse`. AUTH_ALGORITHMS narrows the algorithms;
 * AUTH_CLOCK_TOLERANCE_SECONDS 0 (0–300); AUTH_DEV_TOKENS defaults to on in dev mode only (never with JWKS,
 * never with NODE_ENV=production); AUTH_SCOPES_CLAIM `scope`; AUTH_STREAM_TICKET_TTL_SECONDS 30 (1–300).
 */
export function readAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const key = verificationKey(env);
  const names = algorithms(env, key);
  checkSecretLength(key, names);
  return {
    settings: {
      key,
      algorithms: names,
      issuer: claim(env, 'AUTH_ISSUER', key, DEFAULT_ISSUER),
      audience: claim(env, 'AUTH_AUDIENCE', key, DEFAULT_AUDIENCE),
      clockToleranceSeconds: seconds(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 0, 0, 300),
      devTokens: devTokens(env, key),
      scopesClaim: scopesClaim(env),
    },
    streamTicketTtlSeconds: seconds(env, 'AUTH_STREAM_TICKET_TTL_SECONDS', 30, 1, 300),
  };
}
