import type { LogEntry } from './EventLog.js';

/** The fields one XADD stores: `event <name>`, then `data <json>` unless the payload has no JSON form. */
export function toStreamFields(event: string, data: unknown): string[] {
  const json = JSON.stringify(data);
  return json === undefined ? ['event', event] : ['event', event, 'data', json];
}

/** Reads one entry of an XRANGE or XREAD reply, `[id, [field, value, ...]]`; throws a TypeError for anything else. */
export function toLogEntry(raw: unknown): LogEntry {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1]))
    throw new TypeError(`not a stream entry: ${JSON.stringify(raw)}`);
  const id = raw[0];
  const fields: unknown[] = raw[1];
  let event: string | undefined;
  let data: unknown;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1];
    if (typeof value !== 'string') continue;
    if (fields[i] === 'event') event = value;
    else if (fields[i] === 'data') data = parseData(id, value);
  }
  if (event === undefined)
    throw new TypeError(`stream entry ${id} has no event field; it was not written by this log`);
  return { id, event, data };
}

/** Reads an XRANGE reply (or one stream's part of an XREAD reply). */
export function toLogEntries(raw: unknown): LogEntry[] {
  if (!Array.isArray(raw)) throw new TypeError(`not a list of stream entries: ${JSON.stringify(raw)}`);
  return raw.map(toLogEntry);
}

function parseData(id: string, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new TypeError(`stream entry ${id} holds data that is not JSON; it was not written by this log`, {
      cause: error,
    });
  }
}
