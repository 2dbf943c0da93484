import { v7 } from 'uuid';

/**
 * A new UUIDv7 (RFC 9562), from the `uuid` package: a 48-bit millisecond timestamp, version 7, variant `10`
 * and a counter seeded with random bits. Ids of this process are strictly increasing: within one millisecond,
 * or when the clock goes back, the counter counts up instead of being drawn again.
 */
export const uuidv7 = (): string => v7();

/** The UUIDv7 of millisecond `msecs` made from 16 given `random` bytes: the same inputs give the same id. */
export const uuidv7Of = (msecs: number, random: Uint8Array): string => v7({ msecs, random });
