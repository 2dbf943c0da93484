import { describe, expect, it } from 'vitest';
import { compareStreamIds, isStreamId, maxStreamId } from '../../src/bus/streamIds.js';

describe('stream ids', () => {
  it('accepts only full, canonical ids within 64 bits', () => {
    for (const id of ['0-0', '1732441234567-0', '1-18446744073709551615']) expect(isStreamId(id)).toBe(true);
    for (const id of [
      '999999999',
      'not-an-id',
      '01-0',
      '1-01',
      '1-',
      '-1',
      '1-2-3',
      ' 1-0',
      '18446744073709551616-0',
    ])
      expect(isStreamId(id)).toBe(false);
  });

  it('orders ids by time, then sequence, as numbers rather than strings', () => {
    const sorted = ['0-0', '0-1', '9-5', '10-0', '10-2', '10-10', '1732441234567-0', '1732441234567-1'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareStreamIds)).toEqual(sorted);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    expect(maxStreamId('9-0', '10-0')).toBe('10-0');
  });
});
