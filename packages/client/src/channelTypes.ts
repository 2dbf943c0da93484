import type { channels } from '../../../generated/channels.js';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import type { paths } from '../../../generated/openapi.js';

type Defined<T> = Exclude<T, undefined>;
type Simplify<T> = { [K in keyof T]: T[K] };
type Field<T, K extends string> = T extends { [Q in K]?: infer V } ? Defined<V> : never;
type Group<T> = [T] extends [never] ? Record<never, never> : T;

/**
 * The channels a client can subscribe to: those opened with `GET`, which resume with `Last-Event-ID`.
 * (A channel answered to a `POST`, such as `chatCompletionsStream`, starts anew on every request.)
 */
export type SubscribableChannel = {
  [C in ChannelId]: (typeof channels)[C]['method'] extends 'GET' ? C : never;
}[ChannelId];

/** The OpenAPI `GET` operation that serves a channel (its address is the OpenAPI path). */
type StreamOperation<C extends SubscribableChannel> = paths[(typeof channels)[C]['address']]['get'];
type StreamParameters<C extends SubscribableChannel> = Field<StreamOperation<C>, 'parameters'>;

/**
 * What a channel is opened with: its path parameters and its query parameters, except `lastEventId`
 * (resuming is the `lastEventId` option). E.g. `{ orderId }` for `orderStatusStream`,
 * `{ userId, limit? }` for `recommendationsStream`, `{ petId? }` for `inventoryStream`.
 */
export type ChannelParams<C extends SubscribableChannel> = Simplify<
  Group<Field<StreamParameters<C>, 'path'>> & Omit<Group<Field<StreamParameters<C>, 'query'>>, 'lastEventId'>
>;

/** One event of the map `E` with its id, as a union discriminated on `event`. */
export type StreamMessage<E> = {
  [K in keyof E & string]: { readonly event: K; readonly data: E[K]; readonly id: string };
}[keyof E & string];

/**
 * One event of a channel, e.g. `{ event: 'stock-change', data: StockChange, id: '42' }`. Unnamed frames
 * (no `event:` line) have the event `message`, as in EventSource.
 */
export type ChannelMessage<C extends ChannelId> = StreamMessage<ChannelEvents[C]>;

/** Why the client is about to reconnect, passed to `onReconnect`. */
export interface ReconnectInfo {
  /** How long the client waits before the next attempt, in ms. */
  readonly delayMs: number;
  /** Sent as `Last-Event-ID` on the next attempt; `undefined` if no event carried an id yet. */
  readonly lastEventId: string | undefined;
  /** The network error, or `undefined` when the server ended the response cleanly. */
  readonly error: unknown;
}

/** Options of one subscription. */
export interface SubscribeOptions {
  /** Aborting it closes the stream; the iterator then ends without an error. */
  signal?: AbortSignal;
  /** Resume after this event id, e.g. one kept from an earlier session. Default: start fresh. */
  lastEventId?: string;
  /** Headers for every (re)connect, on top of the client's (these win per name). Default: none. */
  headers?: HeadersInit;
  /** Validate every frame against its AsyncAPI schema. Default: the client's `validate` (`true`). */
  validate?: boolean;
  /** The longest wait before a reconnect, whatever `retry:` the server sent, in ms. Default `30000`. */
  maxRetryMs?: number;
  /** Called each time the server accepts the stream (`200 text/event-stream`), first connect included. */
  onOpen?: (response: Response) => void;
  /** Called when the connection dropped or ended without a terminal event, before waiting to reconnect. */
  onReconnect?: (info: ReconnectInfo) => void;
}
