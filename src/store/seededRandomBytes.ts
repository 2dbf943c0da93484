/**
 * A deterministic byte source (mulberry32) for reproducible ids, e.g. the seed catalog. Not for secrets:
 * the same `seed` always yields the same bytes.
 */
export function seededRandomBytes(seed: number): (bytes: Uint8Array) => void {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return (mixed ^ (mixed >>> 14)) >>> 0;
  };
  return (bytes) => {
    for (let index = 0; index < bytes.length; index++) bytes[index] = next() & 0xff;
  };
}
