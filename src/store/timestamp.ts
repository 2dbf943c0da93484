/**
 * A `timestamptz` value as the driver returns it (a `Date`, or text from a driver that does not parse it)
 * to an RFC 3339 UTC timestamp with milliseconds, e.g. `2026-11-24T10:15:30.123Z`.
 */
export function toTimestamp(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
