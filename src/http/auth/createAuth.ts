import { randomBytes } from 'node:crypto';
import type { AuthSettings, VerificationKey } from '../../config/index.js';
import { createDevTokenIssuer, type DevTokenIssuer } from './devTokenIssuer.js';
import { createTokenVerifier, type TokenVerifier } from './tokenVerifier.js';

/** How requests are authenticated: the token check, and the demo token signer when dev tokens are on. */
export interface Auth {
  readonly mode: VerificationKey['kind'];
  readonly verify: TokenVerifier;
  /** Signs demo tokens for `POST /v1/dev/tokens`; `undefined` when dev tokens are off (no such route). */
  readonly issueDevToken: DevTokenIssuer | undefined;
}

/** What {@link createAuth} reports. */
export interface AuthHooks {
  /** The JWKS could not be fetched or read; requests are answered 503 meanwhile. Default: ignored. */
  onKeySourceError?: (error: unknown) => void;
}

function hmacSecret(key: VerificationKey): Uint8Array | undefined {
  // Dev mode: 256 random bits of this process only: its tokens die with it, and no other process trusts them.
  if (key.kind === 'dev') return new Uint8Array(randomBytes(32));
  if (key.kind === 'secret') return new TextEncoder().encode(key.secret);
  return undefined;
}

/**
 * Builds the authentication of one server from its settings. A `dev` key is a new random secret each call:
 * tokens signed by one server are refused by any other (and after a restart).
 */
export function createAuth(settings: AuthSettings, hooks: AuthHooks = {}): Auth {
  const secret = hmacSecret(settings.key);
  const key = secret ?? { jwksUrl: (settings.key as { url: string }).url };
  const verify = createTokenVerifier(key, settings, hooks.onKeySourceError ?? (() => {}));
  const issueDevToken = settings.devTokens && secret ? createDevTokenIssuer(secret, settings) : undefined;
  return { mode: settings.key.kind, verify, issueDevToken };
}
