/**
 * Where the keys that verify access tokens come from: a random key of this process (`dev`, which also signs
 * demo tokens), a shared secret (`secret`, HMAC), or a JSON Web Key Set at a URL (`jwks`, public keys).
 */
export type VerificationKey =
  | { readonly kind: 'dev' }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'jwks'; readonly url: string };

/** How access tokens are checked, and whether demo tokens are issued. */
export interface AuthSettings {
  readonly key: VerificationKey;
  /** The JWS algorithms accepted (`alg`); any other, `none` included, is refused. */
  readonly algorithms: readonly string[];
  /** The required `iss`. */
  readonly issuer: string;
  /** The required `aud` (one of them, when the token names several). */
  readonly audience: string;
  /** Leeway for `exp` and `nbf` against clock skew, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Answer `POST /v1/dev/tokens` (demo tokens for any existing user); needs a `dev` or `secret` key. */
  readonly devTokens: boolean;
  /**
   * The claim that carries a token's scopes (`catalog:write`, `inventory:write`): a space-separated string
   * (OAuth 2's `scope`) or an array of strings. Default `scope`.
   */
  readonly scopesClaim: string;
}

/** The claim that carries the scopes unless AUTH_SCOPES_CLAIM names another. */
export const DEFAULT_SCOPES_CLAIM = 'scope';

/** The HMAC algorithms, for a `dev` or `secret` key. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** The public-key algorithms, for a `jwks` key. */
export const PUBLIC_KEY_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** `iss` and `aud` of the tokens this server signs and, unless configured otherwise, accepts. */
export const DEFAULT_ISSUER = 'petstore-sse';
export const DEFAULT_AUDIENCE = 'petstore-sse';

/** Dev mode: a random key, HS256, demo tokens on. What a server with no auth configuration runs with. */
export const DEV_AUTH: AuthSettings = {
  key: { kind: 'dev' },
  algorithms: ['HS256'],
  issuer: DEFAULT_ISSUER,
  audience: DEFAULT_AUDIENCE,
  clockToleranceSeconds: 0,
  devTokens: true,
  scopesClaim: DEFAULT_SCOPES_CLAIM,
};
