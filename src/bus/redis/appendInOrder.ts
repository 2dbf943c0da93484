import type { Redis } from 'ioredis';
import type { LogEntry } from '../LiveLog.js';

/**
 * Appends entries to a stream in position order, once each, atomically (a Lua script). The stream id of
 * position n is `n-0`. An entry at or below the stream's last position is already there and skipped, so a
 * retry after a timeout, or two processes carrying the same entry, append it once. An entry that would leave
 * a hole (the stream ends at n, the entry is n+2) is refused: the reply is `gap` with the last position, and the
 * caller carries the hole from the database first. A missing stream (new, expired or lost with Redis) starts
 * at any position; so does a stream when `jump` is set (the database no longer holds the hole).
 *
 * KEYS[1]: the stream. ARGV: max length, TTL seconds, jump ('1' or '0'), then position, id, event, data for
 * each entry. Reply: {'ok' | 'gap', last position}.
 */
const SCRIPT = `
local key = KEYS[1]
local last = 0
local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
if newest[1] then last = tonumber(string.match(newest[1][1], '^(%d+)-')) end
local jump = ARGV[3] == '1'
for i = 4, #ARGV, 4 do
  local seq = tonumber(ARGV[i])
  if seq > last then
    if last ~= 0 and seq ~= last + 1 and not jump then
      return {'gap', last}
    end
    redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], ARGV[i] .. '-0', 'id', ARGV[i + 1], 'event', ARGV[i + 2], 'data', ARGV[i + 3])
    last = seq
    jump = false
  end
end
redis.call('EXPIRE', key, ARGV[2])
return {'ok', last}
`;

/** A connection the script was defined on (ioredis adds the command at run time). */
interface WithAppendInOrder {
  petstoreAppendInOrder(key: string, ...args: (string | number)[]): Promise<[string, number]>;
}

/** Defines the script on a connection (EVALSHA, loaded on first use). */
export function defineAppendInOrder(redis: Redis): void {
  redis.defineCommand('petstoreAppendInOrder', { numberOfKeys: 1, lua: SCRIPT });
}

/** What one call did: appended through `last`, or refused at a hole after `last`. */
export type AppendReply = { kind: 'ok' | 'gap'; last: number };

export async function appendInOrder(
  redis: Redis,
  key: string,
  entries: readonly LogEntry[],
  options: { maxLen: number; ttlSeconds: number; jump: boolean },
): Promise<AppendReply> {
  const args: (string | number)[] = [options.maxLen, options.ttlSeconds, options.jump ? '1' : '0'];
  for (const entry of entries)
    args.push(entry.seq, entry.id, entry.event, JSON.stringify(entry.data) ?? 'null');
  const [kind, last] = await (redis as unknown as WithAppendInOrder).petstoreAppendInOrder(key, ...args);
  return { kind: kind === 'gap' ? 'gap' : 'ok', last: Number(last) };
}

/** The last position of each stream (0 for a missing or empty one), in one round trip. */
export async function lastPositions(redis: Redis, keys: readonly string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.xrevrange(key, '+', '-', 'COUNT', 1);
  const replies = (await pipeline.exec()) ?? [];
  return keys.map((_, i) => {
    const [error, reply] = replies[i] ?? [new Error('no reply')];
    if (error) throw error;
    const newest = (reply as [string, string[]][] | undefined)?.[0]?.[0];
    const match = newest === undefined ? null : /^(\d+)-/.exec(newest);
    return match ? Number(match[1]) : 0;
  });
}
