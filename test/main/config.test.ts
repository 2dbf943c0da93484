import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';

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
