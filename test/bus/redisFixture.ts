import type { Redis } from 'ioredis';
import type { LogEntry } from '../../src/bus/index.js';

/** The Redis the tests run against (a real one: `redis-server` on the default port unless REDIS_URL says else). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other run or test uses, so its keys and connection names are its own. */
export function uniquePrefix(label: string): string {
  return `petstore-test:${label}:${process.pid}-${Math.random().toString(36).slice(2, 8)}:`;
}

/** Deletes every key under a prefix. */
export async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The ids of the clients connected under a name (CLIENT LIST). */
export async function clientIdsNamed(admin: Redis, name: string): Promise<string[]> {
  const list = String(await admin.client('LIST'));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /^id=(\d+)/.exec(line)?.[1] ?? '');
}

/** Reads a subscription through ONE iterator: `next(n)` resolves the next n entries (fewer if it ends). */
export function entriesOf(entries: AsyncIterable<LogEntry>): (count: number) => Promise<LogEntry[]> {
  const iterator = entries[Symbol.asyncIterator]();
  return async (count) => {
    const out: LogEntry[] = [];
    while (out.length < count) {
      const step = await iterator.next();
      if (step.done) break;
      out.push(step.value);
    }
    return out;
  };
}
