import type { EventMap, StreamMessage } from './eventMap.js';

/** Receives what a {@link PushSource} produces, synchronously, as it comes. */
export interface PushTarget<E extends EventMap> {
  /** Messages that arrived together (e.g. the events appended to a log in one turn), in order. */
  messages(batch: readonly StreamMessage<E>[]): void;
  /** The source ended, for good: exhausted (no error) or failed (with the error). Nothing follows. */
  end(error?: Error): void;
}

/**
 * Messages pushed in batches as they come: the broadcast path, with no promise and no async iterator per
 * message or per subscriber (a broadcast hands every subscriber the same batch array, which is then encoded
 * once). An `AsyncIterable` is the other kind of source, for producers that await between messages.
 */
export interface PushSource<E extends EventMap> {
  /** Starts pushing to `target`: what is there already at once (synchronously), then live. Call once. */
  listen(target: PushTarget<E>): void;
  /** Stops pushing and releases what the source holds, e.g. its log subscription. Idempotent. */
  close(): void;
}

/** What a stream writes: messages pulled one by one, or pushed in batches. */
export type MessageSource<E extends EventMap> = AsyncIterable<StreamMessage<E>> | PushSource<E>;

/** Whether `source` is a {@link PushSource}. */
export function isPushSource<E extends EventMap>(source: MessageSource<E>): source is PushSource<E> {
  return typeof (source as Partial<PushSource<E>>).listen === 'function';
}
