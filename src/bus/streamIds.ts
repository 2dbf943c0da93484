const STREAM_ID = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;
const MAX_U64 = 2n ** 64n - 1n;

/** The id of an empty stream, and the lowest id there is. */
export const ZERO_STREAM_ID = '0-0';

/**
 * Whether `id` is a full, canonical Redis stream id `<ms>-<seq>` (two unsigned 64-bit decimals, no leading
 * zeros), as `XADD *` issues them. The `<ms>` shorthand Redis also accepts is refused: this log never issues it.
 */
export function isStreamId(id: string): boolean {
  const match = STREAM_ID.exec(id);
  return match !== null && BigInt(match[1]!) <= MAX_U64 && BigInt(match[2]!) <= MAX_U64;
}

/** Orders two canonical stream ids (see isStreamId): negative, zero or positive, as Redis orders them. */
export function compareStreamIds(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  return (
    compareDecimals(a.slice(0, dashA), b.slice(0, dashB)) ||
    compareDecimals(a.slice(dashA + 1), b.slice(dashB + 1))
  );
}

/** The greater of two canonical stream ids. */
export function maxStreamId(a: string, b: string): string {
  return compareStreamIds(a, b) >= 0 ? a : b;
}

function compareDecimals(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
