const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `249.99` → `$249.99`. */
export const formatPrice = (price: number): string => usd.format(price);

/** An ISO timestamp as the local time of day, e.g. `14:30:05`. */
export const formatTime = (timestamp: string): string =>
  new Date(timestamp).toLocaleTimeString('en-GB', { hour12: false });

/** A score in 0..1 with two decimals. */
export const formatScore = (score: number): string => score.toFixed(2);

/** A duration in ms with one decimal, e.g. `12.3 ms`. */
export const formatMs = (ms: number): string => `${ms.toFixed(1)} ms`;
