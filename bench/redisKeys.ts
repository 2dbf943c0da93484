import { Redis } from 'ioredis';

function client(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // A refused connection also rejects connect(), which the callers handle.
  redis.on('error', () => {});
  return redis;
}

/** True when a Redis server answers PING at `url` within about a second. */
export async function redisReachable(url: string): Promise<boolean> {
  const redis = client(url);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix` (W6's streams); resolves with how many. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = client(url);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
