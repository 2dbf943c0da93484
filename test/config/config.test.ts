import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config/index.js';
import { createTestCertificate, type TestCertificate } from '../helpers/testCertificate.js';

describe('readConfig: hardening settings', () => {
  it('defaults to a jittered retry of at least 1 s, stream caps, a REST rate limit, 16 KiB headers, no CORS and a 5 s shutdown spread', () => {
    const config = readConfig({});
    expect(config.retryMs).toBe(3000);
    expect(config.retryJitter).toBe(0.5);
    expect(config.limits).toEqual({
      maxStreams: 10_000,
      maxStreamsPerClient: 100,
      rateLimitPerMinute: 600,
      maxHeaderBytes: 16_384,
      streamLeaseMs: 30_000,
    });
    expect(config.corsOrigins).toEqual([]);
    expect(config.shutdown).toEqual({ spreadMs: 5000, timeoutMs: 10_000 });
  });

  it('refuses SSE_RETRY_MS under 1000, naming the override', () => {
    expect(() => readConfig({ SSE_RETRY_MS: '999' })).toThrow(ConfigError);
    expect(() => readConfig({ SSE_RETRY_MS: '999' })).toThrow(/SSE_RETRY_MIN_MS/);
    expect(readConfig({ SSE_RETRY_MS: '1000' }).retryMs).toBe(1000);
  });

  it('accepts a short retry only with an explicit SSE_RETRY_MIN_MS, as tests use', () => {
    expect(readConfig({ SSE_RETRY_MS: '50', SSE_RETRY_MIN_MS: '0' }).retryMs).toBe(50);
    expect(() => readConfig({ SSE_RETRY_MS: '50', SSE_RETRY_MIN_MS: '100' })).toThrow(ConfigError);
  });

  it('reads the limits, the jitter and the shutdown window', () => {
    const config = readConfig({
      MAX_STREAMS: '50',
      MAX_STREAMS_PER_CLIENT: '5',
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_HEADER_BYTES: '8192',
      SSE_RETRY_JITTER_PERCENT: '20',
      SHUTDOWN_SPREAD_MS: '100',
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    expect(config.limits).toEqual({
      maxStreams: 50,
      maxStreamsPerClient: 5,
      rateLimitPerMinute: 0,
      maxHeaderBytes: 8192,
      streamLeaseMs: 30_000,
    });
    expect(config.retryJitter).toBe(0.2);
    expect(config.shutdown).toEqual({ spreadMs: 100, timeoutMs: 2000 });
  });

  it.each([
    ['MAX_STREAMS', '0'],
    ['MAX_STREAMS_PER_CLIENT', 'many'],
    ['MAX_HEADER_BYTES', '100'],
    ['SSE_RETRY_JITTER_PERCENT', '150'],
    ['SHUTDOWN_SPREAD_MS', '-1'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });

  it('reads CORS_ORIGINS as a comma-separated list of exact origins', () => {
    expect(
      readConfig({ CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://shop.example.com', 'http://localhost:5173']);
  });

  it.each([
    '*',
    'shop.example.com',
    'https://shop.example.com/',
    'https://shop.example.com/app',
    'ftp://x.example',
  ])('refuses the CORS origin %j', (origin) => {
    expect(() => readConfig({ CORS_ORIGINS: origin })).toThrow(/CORS_ORIGINS/);
  });
});

describe('readConfig: TRUST_PROXY', () => {
  it('trusts no proxy by default, and reads X-Forwarded-For from the ones it trusts', () => {
    expect(readConfig({}).proxy).toEqual({ trust: [], header: 'x-forwarded-for' });
  });

  it('reads a list of addresses, CIDR ranges and named ranges, and the Forwarded header if asked', () => {
    const config = readConfig({
      TRUST_PROXY: '10.0.0.0/8, 192.0.2.7 loopback,2001:db8::/32',
      TRUST_PROXY_HEADER: 'Forwarded',
    });
    expect(config.proxy).toEqual({
      trust: ['10.0.0.0/8', '192.0.2.7', 'loopback', '2001:db8::/32'],
      header: 'forwarded',
    });
  });

  it.each([
    ['TRUST_PROXY', 'nginx.internal'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY_HEADER', 'x-real-ip'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(name);
  });
});

describe('readConfig: TLS', () => {
  let certificate: TestCertificate;
  let other: TestCertificate;
  beforeAll(async () => {
    [certificate, other] = await Promise.all([createTestCertificate(), createTestCertificate()]);
  });
  afterAll(async () => {
    await Promise.all([certificate?.remove(), other?.remove()]);
  });

  it('serves plain HTTP/1.1 without TLS_CERT and TLS_KEY', () => {
    expect(readConfig({}).tls).toBeUndefined();
  });

  it('reads the certificate and key that TLS_CERT and TLS_KEY name', () => {
    const { tls } = readConfig({ TLS_CERT: certificate.certFile, TLS_KEY: certificate.keyFile });
    expect(tls).toEqual({ cert: certificate.cert, key: certificate.key });
  });

  it.each([
    ['TLS_CERT', { TLS_KEY: 'key.pem' }],
    ['TLS_KEY', { TLS_CERT: 'cert.pem' }],
  ])('refuses TLS without %s, naming it: both or neither', (missing, env) => {
    expect(() => readConfig(env)).toThrow(
      new RegExp(`^${missing}="" .*both TLS_CERT and TLS_KEY, or neither`),
    );
  });

  it('refuses a file that cannot be read, naming the variable and the reason', () => {
    const env = { TLS_CERT: '/no/such/cert.pem', TLS_KEY: certificate.keyFile };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/^TLS_CERT="\/no\/such\/cert\.pem" .*readable PEM file.*ENOENT/);
  });

  it('refuses a key given as the certificate and a certificate given as the key', () => {
    const swapped = { TLS_CERT: certificate.keyFile, TLS_KEY: certificate.certFile };
    expect(() => readConfig(swapped)).toThrow(/^TLS_CERT=.*a PEM file with a certificate/);
    const keyIsCert = { TLS_CERT: certificate.certFile, TLS_KEY: certificate.certFile };
    expect(() => readConfig(keyIsCert)).toThrow(/^TLS_KEY=.*a PEM file with an unencrypted private key/);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const env = { TLS_CERT: certificate.certFile, TLS_KEY: other.keyFile };
    expect(() => readConfig(env)).toThrow(/^TLS_KEY=.*the private key of the TLS_CERT certificate/);
  });
});
