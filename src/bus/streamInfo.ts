import type { ChainableCommander, Redis } from 'ioredis';
import { compareStreamIds, isStreamId, ZERO_STREAM_ID } from './streamIds.js';

/** What a stream holds, from XINFO STREAM (Redis 7 or later). */
export interface StreamInfo {
  /** The newest id the stream issued (`last-generated-id`), or '0-0'. */
  headId: string;
  /** The oldest id it holds (`first-entry`), if any. */
  firstId: string | undefined;
  /** The newest id deleted with XDEL (`max-deleted-entry-id`; trimming does not move it), or '0-0'. */
  maxDeletedId: string;
  /** Whether entries were ever trimmed from its head (`entries-added` exceeds `length`, or it is not known). */
  trimmed: boolean;
}

/** A key that does not exist: never appended to, expired, or lost. */
export const MISSING_STREAM: StreamInfo = {
  headId: ZERO_STREAM_ID,
  firstId: undefined,
  maxDeletedId: ZERO_STREAM_ID,
  trimmed: false,
};

type Replies = [error: Error | null, reply: unknown][];

/**
 * Whether a reader can go on after `afterId` without a hole: 'replay' when every entry after it is still held,
 * else the reason to reset. Redis does not tell which ids it trimmed, only the oldest one left, so an id older
 * than that counts as expired once anything was trimmed, even if it was the very last entry trimmed.
 * '0-0' resumes from the start of a stream that never lost an entry.
 */
export function checkResumeId(info: StreamInfo, afterId: string): 'replay' | 'unknown_id' | 'expired_id' {
  if (!isStreamId(afterId) || compareStreamIds(afterId, info.headId) > 0) return 'unknown_id';
  if (compareStreamIds(info.maxDeletedId, afterId) > 0) return 'expired_id';
  if (afterId === info.headId) return 'replay';
  if (info.firstId !== undefined && compareStreamIds(afterId, info.firstId) >= 0) return 'replay';
  // [spec] SSE-RULES: "Redis XREAD from a trimmed id returns what is left without an error: the server must
  // notice the gap (compare with the oldest id held) and say so".
  if (info.trimmed) return 'expired_id';
  // Older than everything a stream that never lost an entry holds: not issued by it (but by one that expired, or
  // was lost in a Redis restart, taking the entries after it along).
  return afterId === ZERO_STREAM_ID ? 'replay' : 'unknown_id';
}

/** Queues what takeStreamInfo reads (two replies: EXISTS, XINFO STREAM) on a MULTI. */
export function queueStreamInfo(transaction: ChainableCommander, key: string): ChainableCommander {
  return transaction.exists(key).call('XINFO', 'STREAM', key);
}

/** Reads the two replies queueStreamInfo queued from `index` on: the stream's info, or undefined for no key. */
export function takeStreamInfo(replies: Replies, index: number): StreamInfo | undefined {
  const exists = replies[index];
  const xinfo = replies[index + 1];
  if (!exists || !xinfo) throw new Error('MULTI was discarded');
  if (exists[0]) throw exists[0];
  if (exists[1] !== 1) return undefined;
  if (xinfo[0]) throw xinfo[0];
  return toStreamInfo(xinfo[1]);
}

/** Reads the info of several streams in one MULTI; undefined for a key that does not exist. */
export async function readStreamInfos(
  redis: Redis,
  keys: readonly string[],
): Promise<(StreamInfo | undefined)[]> {
  const transaction = redis.multi();
  for (const key of keys) queueStreamInfo(transaction, key);
  const replies = (await transaction.exec()) ?? [];
  return keys.map((_, i) => takeStreamInfo(replies, 2 * i));
}

function toStreamInfo(reply: unknown): StreamInfo {
  if (!Array.isArray(reply)) throw new TypeError(`not an XINFO STREAM reply: ${JSON.stringify(reply)}`);
  const fields = new Map<unknown, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i], reply[i + 1]);
  const headId = fields.get('last-generated-id');
  if (typeof headId !== 'string') throw new TypeError('XINFO STREAM has no last-generated-id');
  const first = fields.get('first-entry');
  const maxDeletedId = fields.get('max-deleted-entry-id');
  const added = fields.get('entries-added');
  const length = fields.get('length');
  return {
    headId,
    firstId: Array.isArray(first) && typeof first[0] === 'string' ? first[0] : undefined,
    maxDeletedId: typeof maxDeletedId === 'string' ? maxDeletedId : ZERO_STREAM_ID,
    trimmed: typeof added !== 'number' || typeof length !== 'number' || added > length,
  };
}
