import type { LogEntry } from '../LiveLog.js';

/** The stream id of position `seq`: `<seq>-0`, so the same event always gets the same id (XADD is idempotent). */
export const streamIdOf = (seq: number): string => `${seq}-0`;

/** The position a stream id `<seq>-0` stands for, or NaN for an id this log did not write. */
export function seqOf(streamId: string): number {
  const match = /^([1-9][0-9]{0,15})-0$/.exec(streamId);
  return match ? Number(match[1]) : Number.NaN;
}

/** Reads one entry of an XRANGE or XREAD reply, `[id, [field, value, ...]]`; throws a TypeError for anything else. */
export function toLogEntry(raw: unknown): LogEntry {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1]))
    throw new TypeError(`not a stream entry: ${JSON.stringify(raw)}`);
  const streamId = raw[0];
  const fields: unknown[] = raw[1];
  let id: string | undefined;
  let event: string | undefined;
  let data: unknown;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1];
    if (typeof value !== 'string') continue;
    if (fields[i] === 'id') id = value;
    else if (fields[i] === 'event') event = value;
    else if (fields[i] === 'data') data = parseData(streamId, value);
  }
  const seq = seqOf(streamId);
  if (event === undefined || id === undefined || Number.isNaN(seq))
    throw new TypeError(`stream entry ${streamId} was not written by this log`);
  return { id, seq, event, data };
}

function parseData(streamId: string, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new TypeError(
      `stream entry ${streamId} holds data that is not JSON; it was not written by this log`,
      {
        cause: error,
      },
    );
  }
}
