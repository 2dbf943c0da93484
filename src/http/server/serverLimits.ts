/** Default largest request line plus headers: 16 KiB, Node's own default. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
/** Time an HTTP/1.1 request's headers may take to arrive. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** Idle time after which a connection with nothing in flight is closed (Node's HTTP/1.1 keep-alive default). */
export const IDLE_CONNECTION_MS = 5_000;
