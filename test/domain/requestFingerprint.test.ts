import { describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../src/domain/idempotency/index.js';

describe('requestFingerprint', () => {
  it('is 64 lower-case hex digits, the same for the same request', () => {
    const one = requestFingerprint('POST', '/v1/orders', { petId: 'p', quantity: 1 });
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('post', '/v1/orders', { petId: 'p', quantity: 1 })).toBe(one);
  });

  it('does not count the order of object keys, at any depth', () => {
    expect(requestFingerprint('PATCH', '/v1/pets/x', { a: 1, b: { c: [1, { d: 2, e: 3 }], f: null } })).toBe(
      requestFingerprint('PATCH', '/v1/pets/x', { b: { f: null, c: [1, { e: 3, d: 2 }] }, a: 1 }),
    );
  });

  it('tells apart another method, path, value, array order or no body', () => {
    const base = requestFingerprint('POST', '/v1/orders', { items: [1, 2], n: 1 });
    expect(requestFingerprint('PATCH', '/v1/orders', { items: [1, 2], n: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/pets', { items: [1, 2], n: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/orders', { items: [1, 2], n: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/orders', { items: [2, 1], n: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/orders', { items: [1, 2], n: '1' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/orders', undefined)).not.toBe(
      requestFingerprint('POST', '/v1/orders', {}),
    );
  });
});
