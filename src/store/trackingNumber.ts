const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LENGTH = 10;
const UNBIASED_LIMIT = 252;

/**
 * A new carrier tracking number matching the TrackingNumber schema (`^TRK[0-9A-Z]{10}$`), drawn from
 * `crypto.getRandomValues` without modulo bias.
 */
export function newTrackingNumber(): string {
  let code = '';
  const bytes = new Uint8Array(32);
  while (code.length < LENGTH) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < UNBIASED_LIMIT && code.length < LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return `TRK${code}`;
}
