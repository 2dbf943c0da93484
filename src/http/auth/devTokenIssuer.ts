import { SignJWT } from 'jose';
import type { AuthSettings } from '../../config/index.js';

/** A signed demo access token and when it expires. */
export interface DevToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
}

/** Signs demo access tokens for a user, valid `expiresInSeconds` from `now`. */
export type DevTokenIssuer = (userId: string, expiresInSeconds: number, now?: Date) => Promise<DevToken>;

/** Signs with the HMAC `secret`, the first configured algorithm, and the configured issuer and audience. */
export function createDevTokenIssuer(secret: Uint8Array, settings: AuthSettings): DevTokenIssuer {
  const alg = settings.algorithms[0] ?? 'HS256';
  return async (userId, expiresInSeconds, now = new Date()) => {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + expiresInSeconds;
    const accessToken = await new SignJWT({})
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
