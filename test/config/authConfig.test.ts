import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config/index.js';

const SECRET = 's'.repeat(32);
const JWKS = {
  AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example/',
  AUTH_AUDIENCE: 'petstore-api',
};

describe('readConfig: auth', () => {
  it('runs in dev mode without a key: HS256, petstore-sse as issuer and audience, dev tokens on, 30 s tickets', () => {
    expect(readConfig({}).auth).toEqual({
      settings: {
        key: { kind: 'dev' },
        algorithms: ['HS256'],
        issuer: 'petstore-sse',
        audience: 'petstore-sse',
        clockToleranceSeconds: 0,
        devTokens: true,
        scopesClaim: 'scope',
      },
      streamTicketTtlSeconds: 30,
    });
  });

  it('verifies with AUTH_JWT_SECRET, dev tokens off unless AUTH_DEV_TOKENS=true', () => {
    const config = readConfig({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'shop', AUTH_AUDIENCE: 'api' }).auth
      .settings;
    expect(config).toMatchObject({
      key: { kind: 'secret', secret: SECRET },
      issuer: 'shop',
      audience: 'api',
      devTokens: false,
    });
    expect(readConfig({ AUTH_JWT_SECRET: SECRET, AUTH_DEV_TOKENS: 'true' }).auth.settings.devTokens).toBe(
      true,
    );
  });

  it('verifies with AUTH_JWKS_URL: RS256 and ES256 by default, or the algorithms listed', () => {
    expect(readConfig(JWKS).auth.settings).toMatchObject({
      key: { kind: 'jwks', url: JWKS.AUTH_JWKS_URL },
      algorithms: ['RS256', 'ES256'],
      devTokens: false,
    });
    expect(readConfig({ ...JWKS, AUTH_ALGORITHMS: 'EdDSA, PS256' }).auth.settings.algorithms).toEqual([
      'EdDSA',
      'PS256',
    ]);
  });

  it('reads the clock tolerance and the ticket lifetime', () => {
    const { auth } = readConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '30', AUTH_STREAM_TICKET_TTL_SECONDS: '60' });
    expect([auth.settings.clockToleranceSeconds, auth.streamTicketTtlSeconds]).toEqual([30, 60]);
  });

  it('refuses a secret shorter than its algorithm needs, without printing it', () => {
    for (const [env, bytes] of [
      [{ AUTH_JWT_SECRET: 'short' }, 32],
      [{ AUTH_JWT_SECRET: SECRET, AUTH_ALGORITHMS: 'HS256,HS512' }, 64],
    ] as const) {
      const read = () => readConfig(env);
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(new RegExp(`AUTH_JWT_SECRET.*at least ${bytes} bytes`));
      expect(read).not.toThrow(env.AUTH_JWT_SECRET);
    }
  });

  it.each([
    ['none (an unsigned token)', { AUTH_ALGORITHMS: 'none' }],
    ['RS256 with a shared secret', { AUTH_JWT_SECRET: SECRET, AUTH_ALGORITHMS: 'RS256' }],
    ['HS256 with a JWKS', { ...JWKS, AUTH_ALGORITHMS: 'HS256' }],
  ])('refuses AUTH_ALGORITHMS with %s', (_case, env) => {
    expect(() => readConfig(env)).toThrow(/AUTH_ALGORITHMS/);
  });

  it('accepts a JWKS over plain http on a loopback address only', () => {
    const local = readConfig({ ...JWKS, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' });
    expect(local.auth.settings.key).toEqual({ kind: 'jwks', url: 'http://127.0.0.1:8080/jwks.json' });
  });

  it('runs in production with a secret', () => {
    expect(readConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }).auth.settings.key.kind).toBe(
      'secret',
    );
  });

  it.each([
    ['both a secret and a JWKS', { ...JWKS, AUTH_JWT_SECRET: SECRET }, 'AUTH_JWKS_URL'],
    ['a JWKS URL that is not http(s)', { ...JWKS, AUTH_JWKS_URL: 'file:///etc/jwks.json' }, 'AUTH_JWKS_URL'],
    [
      'a JWKS over plain http to another host',
      { ...JWKS, AUTH_JWKS_URL: 'http://idp.example/jwks.json' },
      'AUTH_JWKS_URL',
    ],
    ['dev mode in production (no key)', { NODE_ENV: 'production' }, 'AUTH_JWT_SECRET'],
    ['a JWKS without an issuer', { ...JWKS, AUTH_ISSUER: '' }, 'AUTH_ISSUER'],
    ['a JWKS without an audience', { ...JWKS, AUTH_AUDIENCE: ' ' }, 'AUTH_AUDIENCE'],
    ['dev tokens with a JWKS (no signing key)', { ...JWKS, AUTH_DEV_TOKENS: 'true' }, 'AUTH_DEV_TOKENS'],
    ['dev tokens neither true nor false', { AUTH_DEV_TOKENS: 'yes' }, 'AUTH_DEV_TOKENS'],
    [
      'a ticket lifetime over 300 s',
      { AUTH_STREAM_TICKET_TTL_SECONDS: '301' },
      'AUTH_STREAM_TICKET_TTL_SECONDS',
    ],
    ['a ticket lifetime of 0', { AUTH_STREAM_TICKET_TTL_SECONDS: '0' }, 'AUTH_STREAM_TICKET_TTL_SECONDS'],
    ['a negative clock tolerance', { AUTH_CLOCK_TOLERANCE_SECONDS: '-1' }, 'AUTH_CLOCK_TOLERANCE_SECONDS'],
  ])('refuses %s, naming the variable', (_case, env, name) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(name);
  });
});
