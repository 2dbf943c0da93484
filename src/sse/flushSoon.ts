let due: Array<() => void> = [];

function flushDue(): void {
  const flushes = due;
  due = [];
  for (const flush of flushes) flush();
}

/**
 * Runs `flush` once the current turn of the event loop is done, after every promise job, so the frames a
 * stream produced in that turn (a burst of events passing through async iterators) go out as one write.
 * All streams share one `setImmediate`. A stream asks once per turn; an extra call only finds nothing to write.
 */
export function flushSoon(flush: () => void): void {
  due.push(flush);
  if (due.length === 1) setImmediate(flushDue);
}
