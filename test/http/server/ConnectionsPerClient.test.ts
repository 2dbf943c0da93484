import { describe, expect, it } from 'vitest';
import { ConnectionsPerClient } from '../../../src/http/server/index.js';

describe('ConnectionsPerClient', () => {
  it('admits connections of an address up to the cap, refuses the next, and admits again once one is released', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 2 });
    expect([cap.admit('10.0.0.1'), cap.admit('10.0.0.1'), cap.admit('10.0.0.1')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(cap.admit('10.0.0.2')).toBe(true);
    expect(cap.openOf('10.0.0.1')).toBe(2);
    cap.release('10.0.0.1');
    expect(cap.admit('10.0.0.1')).toBe(true);
  });

  it('forgets an address once its last connection is released', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 5 });
    cap.admit('::1');
    cap.admit('::1');
    cap.release('::1');
    cap.release('::1');
    expect(cap.clients).toBe(0);
    expect(cap.openOf('::1')).toBe(0);
  });

  it('neither caps nor counts an exempt address, such as a trusted proxy', () => {
    const cap = new ConnectionsPerClient({ maxPerClient: 1, exempt: (address) => address === '10.1.1.1' });
    for (let i = 0; i < 10; i++) expect(cap.admit('10.1.1.1')).toBe(true);
    expect(cap.clients).toBe(0);
    cap.release('10.1.1.1');
    expect(cap.admit('10.0.0.9')).toBe(true);
    expect(cap.admit('10.0.0.9')).toBe(false);
  });

  it('caps nothing with maxPerClient 0, and refuses a cap that is not a whole number', () => {
    const open = new ConnectionsPerClient({ maxPerClient: 0 });
    for (let i = 0; i < 1000; i++) expect(open.admit('10.0.0.1')).toBe(true);
    expect(() => new ConnectionsPerClient({ maxPerClient: 1.5 })).toThrow(RangeError);
    expect(() => new ConnectionsPerClient({ maxPerClient: -1 })).toThrow(RangeError);
  });
});
