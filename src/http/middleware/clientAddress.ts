import { isIP } from 'node:net';
import type { Middleware } from 'koa';
import proxyAddr from 'proxy-addr';

/** The proxies in front of the server (TRUST_PROXY) and the header they write (TRUST_PROXY_HEADER). */
export interface ProxyTrust {
  /** Addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`; empty: none. */
  readonly trust: readonly string[];
  readonly header: 'x-forwarded-for' | 'forwarded';
}

/** Who sent a request: the TCP peer, or the client a chain of trusted proxies forwarded it for. */
export interface TrustedProxies {
  /** Whether a TCP peer is a trusted proxy (a per-address connection cap must not count it as one client). */
  trusts(address: string): boolean;
  /**
   * The client of a request that came from `peer` with `forwarded` (the header's value): walking the hops
   * from the right, the first address that is not a trusted proxy. A hop that is not an IP address
   * (`unknown`, an obfuscated `_name`, garbage) stops the walk at the proxy that wrote it.
   */
  clientOf(peer: string, forwarded: string | undefined): string;
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:192.0.2.1` as `192.0.2.1`, so a client has one key however the socket reports it. */
const plain = (address: string): string => MAPPED_IPV4.exec(address)?.[1] ?? address;

/** The node of a `for=` value without quotes, brackets and port: `"[2001:db8::1]:4711"` → `2001:db8::1`. */
function nodeAddress(value: string): string {
  const node = value.trim().replace(/^"(.*)"$/, '$1');
  const bracket = node.indexOf(']');
  if (node.startsWith('[') && bracket > 0) return node.slice(1, bracket);
  const colons = node.split(':').length - 1;
  return colons === 1 ? node.slice(0, node.indexOf(':')) : node;
}

/** The `for=` nodes of an RFC 7239 `Forwarded` value, left (first proxy's client) to right. */
function forwardedFor(value: string): string[] {
  const nodes: string[] = [];
  for (const element of value.split(',')) {
    for (const pair of element.split(';')) {
      const equals = pair.indexOf('=');
      if (equals > 0 && pair.slice(0, equals).trim().toLowerCase() === 'for') {
        nodes.push(nodeAddress(pair.slice(equals + 1)));
      }
    }
  }
  return nodes;
}

/** The hops of an `X-Forwarded-For` value, left to right. */
const xForwardedFor = (value: string): string[] => value.split(',').map(nodeAddress);

/** Compiles TRUST_PROXY (with `proxy-addr`, as Express does) into the walk that finds a request's client. */
export function trustedProxies(config: ProxyTrust): TrustedProxies {
  const trusted = proxyAddr.compile([...config.trust]);
  const hopsOf = config.header === 'forwarded' ? forwardedFor : xForwardedFor;
  const trusts = (address: string): boolean => isIP(address) !== 0 && trusted(address, 0);
  return {
    trusts,
    clientOf(peer, forwarded) {
      let client = plain(peer);
      if (forwarded === undefined || !trusts(client)) return client;
      const hops = hopsOf(forwarded);
      for (let i = hops.length - 1; i >= 0; i -= 1) {
        const hop = plain(hops[i]!);
        if (isIP(hop) === 0) return client;
        client = hop;
        if (!trusts(hop)) return client;
      }
      return client;
    },
  };
}

/**
 * Sets `ctx.ip` to the request's client as {@link TrustedProxies.clientOf} finds it, so the rate limit, the
 * stream cap and the request log all see the same client. No trusted proxy: `ctx.ip` stays the TCP peer (Koa's
 * own `app.proxy` stays off: it would believe any peer's `X-Forwarded-For`).
 */
export function clientAddress(proxies: ProxyTrust): Middleware {
  if (proxies.trust.length === 0) return (_ctx, next) => next();
  const walk = trustedProxies(proxies);
  return (ctx, next) => {
    const forwarded = ctx.get(proxies.header);
    ctx.request.ip = walk.clientOf(
      ctx.req.socket.remoteAddress ?? '',
      forwarded === '' ? undefined : forwarded,
    );
    return next();
  };
}
