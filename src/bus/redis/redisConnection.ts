import { Redis } from 'ioredis';

/** How a connection of the Redis event log is set up. */
export interface RedisConnectionOptions {
  url: string;
  /** Shown by CLIENT LIST. */
  name: string;
  /** Bounds a connection attempt and, unless `blocking`, every command's reply. */
  timeoutMs: number;
  /** A connection for XREAD BLOCK: no reply timeout, and it connects when first needed. */
  blocking: boolean;
  onError: (error: unknown) => void;
}

/**
 * Opens an ioredis connection that fails fast instead of queueing: a command sent while disconnected rejects at
 * once, and a command in flight when the connection drops rejects and is never sent again (a resent XADD could
 * append twice). The connection itself keeps reconnecting in the background, backing off up to 1 s.
 */
export function openRedisConnection(options: RedisConnectionOptions): Redis {
  const redis = new Redis(options.url, {
    connectionName: options.name,
    protocol: 2,
    lazyConnect: options.blocking,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.timeoutMs,
    ...(options.blocking ? {} : { commandTimeout: options.timeoutMs }),
    retryStrategy: (attempt) => Math.min(25 * 2 ** attempt, 1000),
  });
  redis.on('error', options.onError);
  return redis;
}

/** One pending wait per connection, however many callers wait on it. */
const nextReady = new WeakMap<Redis, Promise<boolean>>();

/**
 * Resolves true once `redis` is ready to take commands, or false when it was not ready within `timeoutMs`
 * (if given), `signal` aborted, or the connection was ended for good.
 */
export async function untilReady(
  redis: Redis,
  { timeoutMs, signal }: { timeoutMs?: number; signal?: AbortSignal },
): Promise<boolean> {
  if (redis.status === 'ready') return true;
  if (redis.status === 'end' || signal?.aborted) return false;
  if (redis.status === 'wait') {
    // A failed first attempt is reported through the 'error' event and retried by the retry strategy.
    redis.connect().catch(() => {});
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const givenUp = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    if (timeoutMs !== undefined) timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([readyOrEnded(redis), givenUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function readyOrEnded(redis: Redis): Promise<boolean> {
  let waiting = nextReady.get(redis);
  if (!waiting) {
    waiting = new Promise<boolean>((resolve) => {
      const settle = (ready: boolean): void => {
        redis.off('ready', onReady);
        redis.off('end', onEnd);
        nextReady.delete(redis);
        resolve(ready);
      };
      const onReady = (): void => settle(true);
      const onEnd = (): void => settle(false);
      redis.once('ready', onReady);
      redis.once('end', onEnd);
    });
    nextReady.set(redis, waiting);
  }
  return waiting;
}
