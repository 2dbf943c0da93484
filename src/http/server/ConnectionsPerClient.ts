import type { Server, Socket } from 'node:net';

/** Options of {@link ConnectionsPerClient}. */
export interface ConnectionsPerClientOptions {
  /** Open TCP connections one peer address may hold. `0` (or `Infinity`): no cap, nothing is refused. */
  readonly maxPerClient: number;
  /**
   * Peer addresses that are never capped nor counted, e.g. a trusted reverse proxy's, through which every
   * client comes. Called with the normalised address (see {@link peerAddress}); it must give the same answer
   * for an address every time. Default: none.
   */
  readonly exempt?: ((address: string) => boolean) | undefined;
}

/** The address a socket's peer is counted under: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
export function peerAddress(socket: Socket): string | undefined {
  const address = socket.remoteAddress;
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The open connections of each client, keyed by its TCP peer address, capped at `maxPerClient`: `admit` counts
 * a new one unless its address holds the cap already, `release` forgets it. A connection is what the client
 * opened: an HTTP/1.1 connection or an HTTP/2 session (one TCP connection each). Memory is one map entry per
 * address with a connection open.
 */
export class ConnectionsPerClient {
  readonly maxPerClient: number;
  readonly #exempt: ((address: string) => boolean) | undefined;
  readonly #open = new Map<string, number>();

  constructor(options: ConnectionsPerClientOptions) {
    const { maxPerClient } = options;
    if (
      !(
        maxPerClient === Number.POSITIVE_INFINITY ||
        (Number.isSafeInteger(maxPerClient) && maxPerClient >= 0)
      )
    ) {
      throw new RangeError(`maxPerClient must be a non-negative integer or Infinity, got ${maxPerClient}.`);
    }
    this.maxPerClient = maxPerClient === 0 ? Number.POSITIVE_INFINITY : maxPerClient;
    this.#exempt = options.exempt;
  }

  /** Counts a new connection of `address`; `false`, and nothing counted, if the address holds the cap. */
  admit(address: string): boolean {
    if (this.#exempt?.(address)) return true;
    const open = this.#open.get(address) ?? 0;
    if (open >= this.maxPerClient) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  /** Forgets one connection of `address` that `admit` counted. */
  release(address: string): void {
    if (this.#exempt?.(address)) return;
    const open = this.#open.get(address) ?? 0;
    if (open <= 1) this.#open.delete(address);
    else this.#open.set(address, open - 1);
  }

  /** Connections of `address` counted now. */
  openOf(address: string): number {
    return this.#open.get(address) ?? 0;
  }

  /** Addresses with a counted connection open. */
  get clients(): number {
    return this.#open.size;
  }

  /**
   * Applies the cap to every TCP connection `server` accepts: one over the cap is handed to `refuse`, which
   * must close it at once (it gets no request through: this runs as the connection is accepted, before a
   * byte of it is read); one admitted is released when it closes.
   */
  guard(server: Server, refuse: (socket: Socket, address: string | undefined) => void): void {
    // One listener for every socket rather than a closure each (a server holds thousands): the peer's
    // address is read again at close, from what the socket cached when it was counted.
    const owner = this;
    function released(this: Socket): void {
      const address = peerAddress(this);
      if (address !== undefined) owner.release(address);
    }
    server.on('connection', (socket: Socket) => {
      const address = peerAddress(socket);
      // No peer address: a Unix domain socket (a local peer, such as a proxy on the same machine), or a TCP
      // peer already gone. Neither is counted nor refused.
      if (address === undefined) return;
      if (!this.admit(address)) {
        refuse(socket, address);
        return;
      }
      // 'close' comes once; `once` would wrap the listener anew for each socket.
      socket.on('close', released);
    });
  }
}
