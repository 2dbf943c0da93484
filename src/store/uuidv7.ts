/** Sources of time and randomness for {@link createUuidv7}. */
export interface Uuidv7Sources {
  /** Milliseconds since the Unix epoch. Default: `Date.now`. */
  now?: (() => number) | undefined;
  /** Fills the array with random bytes. Default: `crypto.getRandomValues`. */
  random?: ((bytes: Uint8Array) => void) | undefined;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function writeTimestamp(bytes: Uint8Array, ms: number): void {
  let rest = ms;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

function incrementRandomBits(bytes: Uint8Array): boolean {
  for (let index = 15; index >= 6; index--) {
    const mask = index === 8 ? 0x3f : index === 6 ? 0x0f : 0xff;
    const value = bytes[index]! & mask;
    if (value < mask) {
      bytes[index] = (bytes[index]! & ~mask) | (value + 1);
      return true;
    }
    bytes[index] = bytes[index]! & ~mask;
  }
  return false;
}

function format(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => HEX[byte]).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Creates a UUIDv7 generator (RFC 9562): a 48-bit millisecond timestamp, version 7, variant `10` and 74
 * random bits. Ids from one generator are strictly increasing: within the same millisecond (or when the
 * clock goes back) the random bits count up by one instead of being drawn again.
 */
export function createUuidv7(sources: Uuidv7Sources = {}): () => string {
  const now = sources.now ?? Date.now;
  const random = sources.random ?? ((bytes: Uint8Array) => crypto.getRandomValues(bytes));
  const bytes = new Uint8Array(16);
  let lastMs = -1;
  return () => {
    const ms = now();
    if (ms > lastMs || !incrementRandomBits(bytes)) {
      lastMs = Math.max(ms, lastMs + 1);
      random(bytes);
    }
    writeTimestamp(bytes, lastMs);
    bytes[6] = 0x70 | (bytes[6]! & 0x0f);
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    return format(bytes);
  };
}

/** A process-wide UUIDv7 generator with the real clock and `crypto.getRandomValues`. */
export const uuidv7: () => string = createUuidv7();
