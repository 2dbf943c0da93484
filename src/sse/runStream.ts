import type { EventStream } from './EventStream.js';
import type { EventMap, StreamMessage } from './eventMap.js';

const STREAM_CLOSED = Symbol('stream closed');

function nextUnlessClosed<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T> | typeof STREAM_CLOSED> {
  if (signal.aborted) return Promise.resolve(STREAM_CLOSED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(STREAM_CLOSED);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
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
  for (;;) {
    const step = await nextUnlessClosed(iterator, stream.signal);
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
