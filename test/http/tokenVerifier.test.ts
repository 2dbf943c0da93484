import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEV_AUTH } from '../../src/config/index.js';
import {
  createTokenVerifier,
  VERIFIED_TOKEN_TRUST_MS,
  VERIFIED_TOKENS_KEPT,
  verifiedTokens,
} from '../../src/http/auth/tokenVerifier.js';
import { AuthenticationProblem } from '../../src/http/errors/index.js';

const secret = new TextEncoder().encode('a secret of at least thirty-two bytes, for HS256');

async function token(expiresInSeconds: number, now: number, subject = 'user-456'): Promise<string> {
  return new SignJWT({ scope: 'inventory:write' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(DEV_AUTH.issuer)
    .setAudience(DEV_AUTH.audience)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + expiresInSeconds)
    .sign(secret);
}

const principal = (userId: string, expiresAt: number) => ({ userId, expiresAt, scopes: [] });

describe('verifiedTokens: the tokens a verifier takes on trust', () => {
  it('gives back a kept principal until its token expires', () => {
    const kept = verifiedTokens(0);
    const p = principal('a', 10_000);
    kept.set('t', p, 0);
    expect(kept.get('t', 9_999)).toBe(p);
    expect(kept.get('t', 10_000)).toBeUndefined();
    // Gone once expired: not kept for a later clock either.
    expect(kept.get('t', 5_000)).toBeUndefined();
  });

  it('trusts a token for at most a minute even when it lives longer, and allows for the clock tolerance', () => {
    const kept = verifiedTokens(5);
    kept.set('long', principal('a', 3_600_000), 0);
    kept.set('short', principal('b', 1_000), 0);
    expect(kept.get('long', VERIFIED_TOKEN_TRUST_MS - 1)).toBeDefined();
    expect(kept.get('long', VERIFIED_TOKEN_TRUST_MS)).toBeUndefined();
    expect(kept.get('short', 5_999)).toBeDefined();
    expect(kept.get('short', 6_000)).toBeUndefined();
  });

  it(`keeps at most ${VERIFIED_TOKENS_KEPT}, forgetting the oldest first`, () => {
    const kept = verifiedTokens(0);
    for (let i = 0; i <= VERIFIED_TOKENS_KEPT; i++) kept.set(`t${i}`, principal(`u${i}`, 60_000), 0);
    expect(kept.get('t0', 1)).toBeUndefined();
    expect(kept.get('t1', 1)?.userId).toBe('u1');
    expect(kept.get(`t${VERIFIED_TOKENS_KEPT}`, 1)?.userId).toBe(`u${VERIFIED_TOKENS_KEPT}`);
  });
});

describe('createTokenVerifier with verified tokens kept', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a token it accepted once the token expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2026, 11, 8, 12);
    vi.setSystemTime(start);
    const verify = createTokenVerifier(secret, DEV_AUTH, () => {});
    const jwt = await token(30, start);
    const first = await verify(jwt);
    expect(first).toMatchObject({ userId: 'user-456', scopes: ['inventory:write'] });
    vi.setSystemTime(start + 29_000);
    expect(await verify(jwt)).toEqual(first);
    vi.setSystemTime(start + 31_000);
    const refused = await verify(jwt).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationProblem);
    expect((refused as AuthenticationProblem).message).toMatch(/expired/);
  });

  it('never keeps a refusal: a token with a bad signature is refused every time', async () => {
    const verify = createTokenVerifier(secret, DEV_AUTH, () => {});
    const jwt = await token(60, Date.now());
    const forged = `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (let i = 0; i < 2; i++) await expect(verify(forged)).rejects.toBeInstanceOf(AuthenticationProblem);
    await expect(verify(jwt)).resolves.toMatchObject({ userId: 'user-456' });
  });

  it('gives each caller a principal it cannot change', async () => {
    const verify = createTokenVerifier(secret, DEV_AUTH, () => {});
    const jwt = await token(60, Date.now());
    const principal = await verify(jwt);
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.scopes)).toBe(true);
  });
});
