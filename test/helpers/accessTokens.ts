import { SignJWT } from 'jose';
import {
  type AuthSettings,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_SCOPES_CLAIM,
} from '../../src/http/auth/index.js';

/** The HMAC secret of the apps the suite starts (`startApp`), and of the servers it spawns with AUTH_JWT_SECRET. */
export const TEST_JWT_SECRET = 'petstore-sse test suite secret, 48 bytes long!!';

/** What `startApp` authenticates with by default: {@link TEST_JWT_SECRET}, HS256, demo tokens on. */
export const TEST_AUTH: AuthSettings = {
  key: { kind: 'secret', secret: TEST_JWT_SECRET },
  algorithms: ['HS256'],
  issuer: DEFAULT_ISSUER,
  audience: DEFAULT_AUDIENCE,
  clockToleranceSeconds: 0,
  devTokens: true,
  scopesClaim: DEFAULT_SCOPES_CLAIM,
};

/** Claims and signing of a test token; each defaults to what the test apps accept. */
export interface TokenOptions {
  /** Seconds until `exp`, from now; negative for an expired token. Default 3600. */
  expiresIn?: number;
  /** `nbf`, seconds from now. Default: none. */
  notBefore?: number;
  issuer?: string;
  audience?: string;
  /** Default `HS256`. */
  alg?: string;
  /** Default {@link TEST_JWT_SECRET}. */
  secret?: string | Uint8Array;
  /** The `scope` claim (or another as `scopesClaim` says): a string, or an array. Default: none. */
  scopes?: string | readonly string[];
  /** Default `scope`. */
  scopesClaim?: string;
}

/** Every staff scope: what a token needs to change the catalog and the inventory. */
export const STAFF_SCOPES = ['catalog:write', 'inventory:write'] as const;

const encoded = (secret: string | Uint8Array) =>
  typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;

/** An access token for `userId` (its `sub`), signed as the test apps expect unless `options` say otherwise. */
export async function accessToken(userId: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = options.scopes === undefined ? {} : { [options.scopesClaim ?? 'scope']: options.scopes };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject(userId)
    .setIssuer(options.issuer ?? DEFAULT_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(encoded(options.secret ?? TEST_JWT_SECRET));
}

/** `{ authorization: 'Bearer …' }` with a test token of `userId`. */
export async function bearer(userId: string, options: TokenOptions = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await accessToken(userId, options)}` };
}

/**
 * `{ authorization: 'Bearer …' }` with a staff token (both scopes, {@link STAFF_SCOPES}) signed with the test
 * secret: what catalog and inventory writes to a test app or a spawned server with TEST_JWT_SECRET need.
 */
export async function staffBearer(options: TokenOptions = {}): Promise<Record<string, string>> {
  return bearer('staff-1', { scopes: STAFF_SCOPES.join(' '), ...options });
}
