import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose';
import type { AuthSettings } from '../../config/index.js';
import { AuthenticationProblem, HttpProblem } from '../errors/index.js';
import type { Principal } from './Principal.js';

/** Checks an access token and says whose it is; throws an {@link AuthenticationProblem} (401) otherwise. */
export type TokenVerifier = (token: string) => Promise<Principal>;

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What went wrong with a token, as the client is told (never the token itself). */
function refusal(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'The access token expired; get a new one.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The access token is not valid yet (nbf).';
    if (error.reason === 'missing') return `The access token has no "${error.claim}" claim.`;
    return `The access token's "${error.claim}" claim is not accepted here.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "The access token's algorithm is not accepted.";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return "The access token's signature does not verify with a trusted key.";
  return 'The access token is not a valid JWT.';
}

/** jose errors that mean the key source failed, not the token: the token cannot be judged now. */
const KEY_SOURCE_FAILURES = new Set([
  'ERR_JOSE_GENERIC',
  'ERR_JWKS_TIMEOUT',
  'ERR_JWKS_INVALID',
  'ERR_JWK_INVALID',
]);

function keySourceFailed(error: unknown, remote: boolean): boolean {
  if (!remote) return false;
  return !(error instanceof errors.JOSEError) || KEY_SOURCE_FAILURES.has(error.code);
}

const UNAVAILABLE = new HttpProblem(
  'unavailable',
  503,
  'Service unavailable',
  'The keys that verify access tokens cannot be fetched now; retry shortly.',
);

/** A token's scopes: its `claim` as a space-separated string (OAuth 2) or an array of strings; none when absent. */
function scopesOf(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(value) && value.every((scope) => typeof scope === 'string')) return value;
  throw new AuthenticationProblem(
    'invalid_token',
    `The access token's "${claim}" claim must be a space-separated string or an array of strings.`,
  );
}

function principalOf(payload: JWTPayload, scopesClaim: string): Principal {
  if (typeof payload.sub !== 'string' || !USER_ID.test(payload.sub)) {
    throw new AuthenticationProblem('invalid_token', "The access token's subject (sub) is not a user id.");
  }
  return {
    userId: payload.sub,
    expiresAt: (payload.exp ?? 0) * 1000,
    scopes: scopesOf(payload, scopesClaim),
  };
}

/** jose's check of a token against the HMAC secret, or against the JWKS at its URL (fetched and cached). */
function jwtVerifier(
  key: Uint8Array | { jwksUrl: string },
  options: JWTVerifyOptions,
): (token: string) => Promise<JWTVerifyResult> {
  if (key instanceof Uint8Array) return (token) => jwtVerify(token, key, options);
  const keySet = createRemoteJWKSet(new URL(key.jwksUrl));
  return (token) => jwtVerify(token, keySet, options);
}

/** Most verified tokens a verifier remembers: a client sends the same token with each of its requests. */
export const VERIFIED_TOKENS_KEPT = 1000;
/** How long a verified token is taken on trust without checking its signature again: a minute. */
export const VERIFIED_TOKEN_TRUST_MS = 60_000;

/**
 * The principals of tokens that verified lately, by the whole token (header, payload and signature), so that
 * a client's next requests with the same token skip the HMAC or RSA check (about a quarter of a write's CPU
 * here). An entry is used only until its token expires and for at most {@link VERIFIED_TOKEN_TRUST_MS} (no
 * longer than jose keeps a fetched key set); refusals are never remembered. The oldest entry goes first.
 */
export function verifiedTokens(clockToleranceSeconds: number) {
  const kept = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token: string, now: number): Principal | undefined {
      const entry = kept.get(token);
      if (entry === undefined) return undefined;
      if (now < entry.until) return entry.principal;
      kept.delete(token);
      return undefined;
    },
    set(token: string, principal: Principal, now: number): void {
      if (kept.size >= VERIFIED_TOKENS_KEPT) kept.delete(kept.keys().next().value!);
      const expires = principal.expiresAt + clockToleranceSeconds * 1000;
      kept.set(token, { principal, until: Math.min(expires, now + VERIFIED_TOKEN_TRUST_MS) });
    },
  };
}

/**
 * A verifier for `key` (the HMAC secret, or a JWKS fetched from its URL and cached) that accepts only the
 * configured algorithms, issuer and audience, and requires `exp` and `sub`; `nbf` is checked when present.
 * The principal's scopes come from the `settings.scopesClaim` claim (a malformed one is refused, 401).
 * A key set that cannot be fetched is answered 503, and reported through `onKeySourceError`. A token that
 * verified is taken on trust for a minute at most (see {@link verifiedTokens}).
 */
export function createTokenVerifier(
  key: Uint8Array | { jwksUrl: string },
  settings: AuthSettings,
  onKeySourceError: (error: unknown) => void,
): TokenVerifier {
  const remote = !(key instanceof Uint8Array);
  const options: JWTVerifyOptions = {
    algorithms: [...settings.algorithms],
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: settings.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  const verify = jwtVerifier(key, options);
  const verified = verifiedTokens(settings.clockToleranceSeconds);
  return async (token) => {
    const known = verified.get(token, Date.now());
    if (known) return known;
    try {
      const principal = principalOf((await verify(token)).payload, settings.scopesClaim);
      Object.freeze(principal.scopes);
      verified.set(token, Object.freeze(principal), Date.now());
      return principal;
    } catch (error) {
      if (error instanceof HttpProblem) throw error;
      if (keySourceFailed(error, remote)) {
        onKeySourceError(error);
        throw UNAVAILABLE;
      }
      if (error instanceof errors.JOSEError) throw new AuthenticationProblem('invalid_token', refusal(error));
      throw error;
    }
  };
}
