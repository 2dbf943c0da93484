import type { ConnectionsPerClient } from './ConnectionsPerClient.js';

/** Default largest request line plus headers: 16 KiB, Node's own default. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
/** Default time a request's line and headers may take to arrive. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** Default time a request's body may take to arrive in full, from the end of its headers. */
export const BODY_TIMEOUT_MS = 30_000;
/** Default idle time after which a connection with nothing in flight is closed (Node's keep-alive default). */
export const IDLE_CONNECTION_MS = 5_000;

/** What a server asks of its clients' connections: deadlines, and a cap per client. */
export interface ConnectionPolicy {
  /** Time from a request's first byte to the end of its headers, else `408`. Default: 30 s. */
  readonly headersTimeoutMs?: number | undefined;
  /** Time from the end of a request's headers to the end of its body, else `408` (`cutSlowBodies`). Default: 30 s. */
  readonly bodyTimeoutMs?: number | undefined;
  /** Idle time after which a connection with nothing in flight is closed (GOAWAY on HTTP/2). Default: 5 s. */
  readonly keepAliveTimeoutMs?: number | undefined;
  /** The cap on each client's open connections. Default: none. */
  readonly perClient?: ConnectionsPerClient | undefined;
  /** Told of each request cut for a body that took too long (metrics). */
  readonly onBodyTimeout?: (() => void) | undefined;
  /** Told of each connection refused by the per-client cap (metrics). */
  readonly onRefused?: (() => void) | undefined;
}

/** The deadlines of a policy, defaults filled in. */
export function deadlines(policy: ConnectionPolicy = {}): {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  checkEveryMs: number;
} {
  const headersTimeoutMs = policy.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  return {
    headersTimeoutMs,
    bodyTimeoutMs: policy.bodyTimeoutMs ?? BODY_TIMEOUT_MS,
    keepAliveTimeoutMs: policy.keepAliveTimeoutMs ?? IDLE_CONNECTION_MS,
    // Node checks the headers deadline of every connection on an interval (30 s by default, so a slow header
    // could take up to twice the deadline); a quarter of the deadline, at most 1 s, keeps the cut close to it.
    checkEveryMs: Math.max(10, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
  };
}
