/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** An RFC 3339 timestamp with microseconds (`…T10:15:30.123456Z`): the latency probe an event carries. */
export function microTimestamp(ms: number): string {
  const micros = Math.floor((ms % 1) * 1000);
  return `${new Date(Math.floor(ms)).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Milliseconds of an RFC 3339 UTC timestamp with 3 or 6 fraction digits (`…30.123Z`, `…30.123456Z`). */
export function parseTimestamp(text: string): number {
  const micros = text.length > 24 && text[23] !== 'Z' ? Number(text.slice(23, 26)) / 1000 : 0;
  return Date.parse(`${text.slice(0, 23)}Z`) + micros;
}
