/** setTimeout's longest delay (about 24.8 days); a later deadline is reached in several steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `onDeadline` at `at` (epoch ms), at once if it has passed, unless `signal` aborts first. One timer at
 * a time, cleared when `signal` aborts; nothing is scheduled on an aborted signal.
 */
export function atDeadline(at: number, signal: AbortSignal, onDeadline: () => void): void {
  if (signal.aborted) return;
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const left = at - Date.now();
    if (left <= 0) onDeadline();
    else timer = setTimeout(check, Math.min(left, MAX_DELAY_MS));
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  check();
}
