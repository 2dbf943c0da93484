/** [spec] The reconnection time before the server sends a `retry:` line, in ms. */
export const DEFAULT_RETRY_MS = 3000;

/** The longest wait before a reconnect by default, in ms. */
export const DEFAULT_MAX_RETRY_MS = 30_000;

/**
 * How long to wait before reconnecting: the server's `retry:` doubled for each attempt in a row that could
 * not connect, plus up to 10 % (at most 1 s) of random jitter so that clients dropped together do not return
 * together; never more than `maxMs`.
 */
export function reconnectDelay(retryMs: number, failedAttempts: number, maxMs: number): number {
  const base = retryMs * 2 ** Math.min(failedAttempts, 16);
  const jitter = Math.random() * Math.min(base * 0.1, 1000);
  return Math.min(base + jitter, maxMs);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
