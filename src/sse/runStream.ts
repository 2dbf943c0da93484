import type { EventStream } from './EventStream.js';
import type { EventMap, StreamMessage } from './eventMap.js';

const STREAM_CLOSED = Symbol('stream closed');

/**
 * `iterator.next()`, or STREAM_CLOSED as soon as `signal` aborts, whichever comes first. One abort listener
 * serves every call (a listener added and removed per message costs more than the message's write).
 */
function nextUnlessClosed<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): () => Promise<IteratorResult<T> | typeof STREAM_CLOSED> {
  let wake: ((closed: typeof STREAM_CLOSED) => void) | undefined;
  signal.addEventListener('abort', () => wake?.(STREAM_CLOSED), { once: true });
  return () => {
    if (signal.aborted) return Promise.resolve(STREAM_CLOSED);
    return new Promise((resolve, reject) => {
      wake = resolve;
      iterator.next().then(
        (result) => {
          wake = undefined;
          resolve(result);
        },
        (error: unknown) => {
          wake = undefined;
          reject(error);
        },
      );
    });
  };
}

function stop<T>(iterator: AsyncIterator<T>): void {
  // Not awaited and errors dropped on purpose: the producer may be parked on an await that only its
  // `signal` can end, and once the client is gone there is nobody left to report a teardown failure
  // to; a producer that must log one does so in its own `finally`.
  iterator.return?.().catch(() => {});
}

/**
 * Writes each message of `source` to `stream` as it arrives. As soon as the stream closes (client
 * gone, terminal event, refused frame, slow consumer) it stops waiting and calls the iterator's
 * `return()`, so a disconnect stops the producer; producers blocked on I/O should also honour
 * `stream.signal`. Resolves when the source is exhausted or the stream closed; rejects with the
 * source's error. It never closes the stream itself: the caller decides, e.g. send an error event
 * and `close()` in `finally`.
 */
export async function runStream<E extends EventMap>(
  stream: EventStream<E>,
  source: AsyncIterable<StreamMessage<E>>,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const next = nextUnlessClosed(iterator, stream.signal);
  for (;;) {
    const step = await next();
    if (step === STREAM_CLOSED) return stop(iterator);
    if (step.done === true) return;
    let sent: boolean;
    try {
      sent = stream.send(step.value.event, step.value.data, step.value.id);
    } catch (error) {
      stop(iterator);
      throw error;
    }
    if (!sent) return stop(iterator);
  }
}
