import type { Redis } from 'ioredis';
import type { LogEntry, ResumeOutcome } from './EventLog.js';
import { toLogEntries } from './streamEntries.js';
import { isStreamId } from './streamIds.js';
import {
  checkResumeId,
  MISSING_STREAM,
  queueStreamInfo,
  type StreamInfo,
  takeStreamInfo,
} from './streamInfo.js';

/** One consistent look at a stream: its state, and where a subscriber resuming after some id starts. */
export interface StreamSnapshot {
  /** Undefined when the key does not exist (never appended to, or expired). */
  info: StreamInfo | undefined;
  /** The newest id, or '0-0' for a missing stream: live entries start after it. */
  headId: string;
  resume: ResumeOutcome;
  /** The entries to replay, oldest first (none unless `resume` is 'replayed'). */
  entries: LogEntry[];
}

/**
 * Reads a stream's state and, when `afterId` is given, the entries after it, in one MULTI so nothing is appended
 * or trimmed in between.
 */
export async function readStreamSnapshot(
  redis: Redis,
  key: string,
  afterId: string | undefined,
): Promise<StreamSnapshot> {
  const transaction = queueStreamInfo(redis.multi(), key);
  const replay = afterId !== undefined && isStreamId(afterId);
  if (replay) transaction.call('XRANGE', key, `(${afterId}`, '+');
  const replies = (await transaction.exec()) ?? [];
  const info = takeStreamInfo(replies, 0);
  const headId = (info ?? MISSING_STREAM).headId;
  if (afterId === undefined) return { info, headId, resume: { kind: 'live' }, entries: [] };
  const check = checkResumeId(info ?? MISSING_STREAM, afterId);
  if (check !== 'replay')
    return { info, headId, resume: { kind: 'reset', reason: check, headId }, entries: [] };
  const xrange = replies[2];
  if (xrange?.[0]) throw xrange[0];
  const entries = info && xrange ? toLogEntries(xrange[1]) : [];
  const resume: ResumeOutcome =
    entries.length === 0 ? { kind: 'live' } : { kind: 'replayed', count: entries.length };
  return { info, headId, resume, entries };
}
