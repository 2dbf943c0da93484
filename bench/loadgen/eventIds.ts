/**
 * Orders the SSE ids the servers under test issue: decimal sequence numbers (the in-memory log, raw, peers,
 * order statuses), the event log's `<generation>.<seq>` (W8: one generation per server, so the position
 * orders them) or Redis stream ids `<ms>-<seq>` (the Redis event log). `NaN` for anything else.
 */
export function idRank(id: string): number {
  const dot = id.indexOf('.');
  if (dot >= 0) return /^\d+$/.test(id.slice(dot + 1)) ? Number(id.slice(dot + 1)) : Number.NaN;
  const dash = id.indexOf('-');
  if (dash < 0) return /^\d+$/.test(id) ? Number(id) : Number.NaN;
  // Below 1000 entries per millisecond (the bench publishes far fewer), ms·1000+seq keeps the order exactly.
  return Number(id.slice(0, dash)) * 1000 + Number(id.slice(dash + 1));
}

/** True when ids of this form are consecutive integers, so a jump between two of them is a gap. */
export const isSequential = (id: string): boolean => !id.includes('-');
