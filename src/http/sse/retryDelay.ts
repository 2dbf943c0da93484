/** The least spread of the `retry:` sent when the server asks every client to come back (outage, shutdown). */
export const REFUSAL_RETRY_SPREAD = 0.5;

/**
 * A `retry:` delay for one stream: `baseMs` plus a random share of it up to `spread` (0.5 gives a delay from
 * `baseMs` to 1.5 × `baseMs`), in whole milliseconds, so clients cut off together do not reconnect together.
 */
export function jitteredRetry(baseMs: number, spread: number, random: () => number = Math.random): number {
  return Math.round(baseMs * (1 + random() * Math.max(0, spread)));
}
