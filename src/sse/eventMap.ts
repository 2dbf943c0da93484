/**
 * A map from SSE event name to payload type, e.g.
 * `{ 'stock-change': StockChange; reset: Reset; 'stream-error': StreamError }`.
 * The key `message` stands for unnamed frames (no `event:` line), which clients dispatch as `message`; an
 * `EventStream` writes other keys unnamed too when listed in its `unnamedEvents` option.
 * Typed as `object` rather than `Record<string, unknown>` so that interfaces (which have no index
 * signature) qualify; only the string keys are event names.
 */
export type EventMap = object;

/** The event names of an event map. */
export type EventName<E extends EventMap> = keyof E & string;

/** One event of `E` with its cursor, as a discriminated union on `event`. */
export type StreamMessage<E extends EventMap> = {
  [K in EventName<E>]: { readonly event: K; readonly data: E[K]; readonly id: string };
}[EventName<E>];
