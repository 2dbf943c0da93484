import { SignJWT } from 'jose';
import type { AuthSettings } from '../../config/index.js';

/** A signed demo access token and when it expires. */
export interface DevToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
}

/** Signs demo access tokens for a user with `scopes` (none by default), valid `expiresInSeconds` from `now`. */
export type DevTokenIssuer = (
  userId: string,
  expiresInSeconds: number,
  scopes?: readonly string[],
  now?: Date,
) => Promise<DevToken>;

/**
 * Signs with the HMAC `secret`, the first configured algorithm, and the configured issuer and audience; the
 * scopes go space-separated into the configured scopes claim (only when there are some).
 */
export function createDevTokenIssuer(secret: Uint8Array, settings: AuthSettings): DevTokenIssuer {
  const alg = settings.algorithms[0] ?? 'HS256';
  return async (userId, expiresInSeconds, scopes = [], now = new Date()) => {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + expiresInSeconds;
    const claims = scopes.length > 0 ? { [settings.scopesClaim]: scopes.join(' ') } : {};
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(secret);
    return { accessToken, expiresAt: new Date(expiresAt * 1000) };
  };
}
