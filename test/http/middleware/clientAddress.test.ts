import { describe, expect, it } from 'vitest';
import { trustedProxies } from '../../../src/http/middleware/clientAddress.js';

const xff = trustedProxies({ trust: ['10.0.0.0/8', '192.0.2.7'], header: 'x-forwarded-for' });
const forwarded = trustedProxies({ trust: ['10.0.0.0/8', '2001:db8::1'], header: 'forwarded' });

describe('the client of a request behind trusted proxies', () => {
  it('is the TCP peer when the peer is not a trusted proxy, whatever it forwards', () => {
    expect(xff.clientOf('203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(forwarded.clientOf('203.0.113.5', 'for=198.51.100.1')).toBe('203.0.113.5');
  });

  it('is the peer when no proxy is trusted at all', () => {
    const none = trustedProxies({ trust: [], header: 'x-forwarded-for' });
    expect(none.clientOf('10.0.0.1', '198.51.100.1')).toBe('10.0.0.1');
    expect(none.trusts('10.0.0.1')).toBe(false);
  });

  it('is the rightmost hop that is not a trusted proxy, so what the client wrote itself on the left is ignored', () => {
    expect(xff.clientOf('10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(xff.clientOf('10.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    expect(xff.clientOf('192.0.2.7', '6.6.6.6,198.51.100.1')).toBe('198.51.100.1');
  });

  it('is the leftmost hop when every hop is trusted', () => {
    expect(xff.clientOf('10.0.0.1', '10.0.0.2, 10.0.0.3')).toBe('10.0.0.2');
  });

  it('is the proxy itself when it forwarded no header, or a hop that is not an address', () => {
    expect(xff.clientOf('10.0.0.1', undefined)).toBe('10.0.0.1');
    expect(xff.clientOf('10.0.0.1', 'unknown')).toBe('10.0.0.1');
    expect(xff.clientOf('10.0.0.1', '198.51.100.1, garbage, 10.0.0.9')).toBe('10.0.0.9');
    expect(forwarded.clientOf('10.0.0.1', 'for=_hidden')).toBe('10.0.0.1');
  });

  it('reads IPv4-mapped IPv6 peers and hops as IPv4, and ports and brackets away', () => {
    expect(xff.clientOf('::ffff:10.0.0.1', '::ffff:198.51.100.1')).toBe('198.51.100.1');
    expect(xff.clientOf('::ffff:203.0.113.5', undefined)).toBe('203.0.113.5');
    expect(xff.clientOf('10.0.0.1', '198.51.100.1:4711')).toBe('198.51.100.1');
  });

  it('reads the for= nodes of an RFC 7239 Forwarded header, quoted IPv6 with a port included', () => {
    expect(
      forwarded.clientOf('10.0.0.1', 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=10.2.2.2'),
    ).toBe('2001:db8:cafe::17');
    expect(forwarded.clientOf('2001:db8::1', 'For="198.51.100.1:80";by=10.0.0.1')).toBe('198.51.100.1');
  });

  it('says which peers are trusted proxies, for a cap on connections per address', () => {
    expect(xff.trusts('10.200.0.1')).toBe(true);
    expect(xff.trusts('192.0.2.8')).toBe(false);
    expect(xff.trusts('not an address')).toBe(false);
  });
});
