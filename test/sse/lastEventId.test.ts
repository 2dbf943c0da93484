import { describe, expect, it } from 'vitest';
import { isValidEventId, resolveLastEventId } from '../../src/sse/index.js';

describe('resolveLastEventId', () => {
  it('takes the header over the query parameter', () => {
    expect(resolveLastEventId('1700000000000-5', '1700000000000-1')).toEqual({
      ok: true,
      id: '1700000000000-5',
    });
  });

  it('takes the query parameter on a first connect without the header', () => {
    expect(resolveLastEventId(undefined, 'abc.DEF_09:-')).toEqual({ ok: true, id: 'abc.DEF_09:-' });
  });

  it('gives no cursor when neither is present or the query is empty', () => {
    expect(resolveLastEventId(undefined, undefined)).toEqual({ ok: true, id: undefined });
    expect(resolveLastEventId(undefined, '')).toEqual({ ok: true, id: undefined });
  });

  it('reads an empty header as a reset cursor and ignores the query', () => {
    expect(resolveLastEventId('', '12')).toEqual({ ok: true, id: undefined });
  });

  it('refuses a header sent twice', () => {
    const result = resolveLastEventId(['1', '2'], undefined);
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('at most once') });
  });

  it('reads a one-element header array as its value', () => {
    expect(resolveLastEventId(['3'], '1')).toEqual({ ok: true, id: '3' });
  });

  it.each(['1\n', '1\r', '1\0', '1 2', '1,2', 'é', '1/2', '"1"', 'x'.repeat(129)])(
    'refuses the header %j',
    (header) => {
      const result = resolveLastEventId(header, undefined);
      expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('Last-Event-ID header') });
    },
  );

  it('refuses an invalid query value and names the parameter', () => {
    expect(resolveLastEventId(undefined, '1\n2')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('lastEventId query parameter'),
    });
  });

  it('accepts an id of exactly 128 bytes and shortens a long one in the detail', () => {
    expect(resolveLastEventId('x'.repeat(128), undefined)).toEqual({ ok: true, id: 'x'.repeat(128) });
    const refused = resolveLastEventId('y'.repeat(500), undefined);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.detail.length).toBeLessThan(200);
  });
});

describe('isValidEventId', () => {
  it('accepts Redis stream ids and plain tokens and refuses an empty id', () => {
    expect(isValidEventId('1700000000000-0')).toBe(true);
    expect(isValidEventId('order:42.v1_a')).toBe(true);
    expect(isValidEventId('')).toBe(false);
  });
});
