import { describe, expect, it } from 'vitest';
import { seededRandomBytes } from '../../src/store/seededRandomBytes.js';
import { uuidv7, uuidv7Of } from '../../src/store/uuidv7.js';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisecondOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('produces version 7, variant 10 ids in lower-case hex', () => {
    for (let index = 0; index < 1000; index++) expect(uuidv7()).toMatch(UUIDV7);
  });

  it('puts the millisecond timestamp in the first 48 bits', () => {
    const before = Date.now();
    const id = uuidv7();
    expect(millisecondOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondOf(id)).toBeLessThanOrEqual(Date.now());
    const at = Date.parse('2026-11-24T10:15:30.123Z');
    expect(millisecondOf(uuidv7Of(at, new Uint8Array(16)))).toBe(at);
  });

  it('keeps ids strictly increasing, also many within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, uuidv7);
    expect(ids.every((id) => UUIDV7.test(id))).toBe(true);
    expect(new Set(ids.map(millisecondOf)).size).toBeLessThan(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('repeats the same ids from the same time and random bytes', () => {
    const run = () => {
      const random = seededRandomBytes(42);
      return Array.from({ length: 10 }, (_, index) => {
        const bytes = new Uint8Array(16);
        random(bytes);
        return uuidv7Of(1_760_000_000_000 + index, bytes);
      });
    };
    expect(run()).toEqual(run());
    expect(run().every((id) => UUIDV7.test(id))).toBe(true);
  });
});
