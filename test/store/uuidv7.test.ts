import { describe, expect, it } from 'vitest';
import { seededRandomBytes } from '../../src/store/seededRandomBytes.js';
import { createUuidv7, uuidv7 } from '../../src/store/uuidv7.js';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('produces version 7, variant 10 ids in lower-case hex', () => {
    for (let index = 0; index < 1000; index++) expect(uuidv7()).toMatch(UUIDV7);
  });

  it('puts the millisecond timestamp in the first 48 bits', () => {
    const at = Date.parse('2026-11-24T10:15:30.123Z');
    const id = createUuidv7({ now: () => at })();
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('keeps ids strictly increasing within one millisecond', () => {
    const next = createUuidv7({ now: () => 1_700_000_000_000 });
    const ids = Array.from({ length: 5000 }, next);
    expect(ids.every((id) => UUIDV7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps ids increasing when the clock goes back', () => {
    const times = [2000, 1000, 1000, 3000];
    const next = createUuidv7({ now: () => times.shift() ?? 3000 });
    const ids = [next(), next(), next(), next()];
    expect([...ids].sort()).toEqual(ids);
  });

  it('moves to the next millisecond when the random bits run out', () => {
    const next = createUuidv7({ now: () => 5000, random: (bytes) => bytes.fill(0xff) });
    const millisecondOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    const first = next();
    const second = next();
    expect(millisecondOf(first)).toBe(5000);
    expect(millisecondOf(second)).toBe(5001);
    expect(second).toMatch(UUIDV7);
  });

  it('repeats the same ids from the same time and random sources', () => {
    const run = () => {
      let ms = 1_760_000_000_000;
      const next = createUuidv7({ now: () => ms++, random: seededRandomBytes(42) });
      return Array.from({ length: 10 }, next);
    };
    expect(run()).toEqual(run());
  });
});
