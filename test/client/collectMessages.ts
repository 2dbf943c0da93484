/** Messages read from an async iterable by a consumer running in the background. */
export interface Collected<T> {
  readonly messages: T[];
  /** Settles when the iterable ends (resolves) or throws (rejects). */
  readonly finished: Promise<void>;
}

/** Reads `iterable` to its end in the background, recording every message as it arrives. */
export function collectMessages<T>(iterable: AsyncIterable<T>): Collected<T> {
  const messages: T[] = [];
  const finished = (async () => {
    for await (const message of iterable) messages.push(message);
  })();
  // Observed here so that a test that never awaits `finished` does not leave an unhandled rejection.
  finished.catch(() => {});
  return { messages, finished };
}

/** A promise with its resolver, for callbacks that tests wait on. */
export function signalled<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
