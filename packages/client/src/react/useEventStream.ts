import { useEffect, useRef, useState } from 'react';
import type { ChannelId } from '../../../../generated/events.js';
import type {
  ChannelMessage,
  ChannelParams,
  SubscribableChannel,
  SubscribeOptions,
} from '../channelTypes.js';
import type { Client } from '../createClient.js';

/** Where the stream is: before the first answer, following, waiting to reconnect, ended, or failed. */
export type EventStreamStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'error';

/** What `useEventStream` returns, typed by the channel. */
export interface EventStreamState<C extends SubscribableChannel> {
  /** The latest events, oldest first, at most `maxEvents`. */
  readonly events: readonly ChannelMessage<C>[];
  /** The latest event, also when `events` has dropped older ones. */
  readonly last: ChannelMessage<C> | undefined;
  readonly status: EventStreamStatus;
  /** Why the stream failed (`InvalidFrameError`, `StreamHttpError`...) when `status` is `error`. */
  readonly error: Error | undefined;
  /**
   * The stream is over and no more events will come: a terminal event (e.g. `complete`) or `204` ended it
   * (`status: 'closed'`), or it failed (`status: 'error'`).
   */
  readonly done: boolean;
}

/** Options of `useEventStream`; read when the stream (re)starts, so changing them alone does not reconnect. */
export interface UseEventStreamOptions
  extends Pick<SubscribeOptions, 'headers' | 'lastEventId' | 'validate' | 'maxRetryMs'> {
  /** How many events `events` keeps. Default `100`. */
  maxEvents?: number;
  /** Subscribe only while `true`. Default `true`. While `false`, `status` is `closed`. */
  enabled?: boolean;
}

/** The default of `UseEventStreamOptions.maxEvents`. */
export const DEFAULT_MAX_EVENTS = 100;

type Update<C extends SubscribableChannel> = (
  change: (state: EventStreamState<C>) => EventStreamState<C>,
) => void;

/**
 * Follows a channel while the component is mounted: e.g.
 * `const { last, status } = useEventStream(client, 'orderStatusStream', { orderId })`.
 * The stream closes on unmount and restarts when `client`, `channel`, `enabled` or the params change
 * (params are compared by value, so an inline object is fine; create `client` once, outside render).
 * A `reset` event means events were missed: refetch the state over REST.
 */
export function useEventStream<C extends SubscribableChannel>(
  client: Client,
  channel: C,
  params: ChannelParams<C>,
  options: UseEventStreamOptions = {},
): EventStreamState<C> {
  const enabled = options.enabled ?? true;
  const key = streamKey(channel, params, enabled);
  const latest = useRef({ params, options });
  const [state, setState] = useState(() => ({ key, ...initialState<C>(enabled) }));
  useEffect(() => {
    latest.current = { params, options };
  });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const update: Update<C> = (change) =>
      setState((previous) => ({ key, ...change(previous.key === key ? previous : initialState<C>(true)) }));
    void follow(client, channel, latest.current, controller.signal, update);
    return () => controller.abort();
  }, [client, channel, key, enabled]);
  if (state.key === key) return state;
  return initialState<C>(enabled);
}

async function follow<C extends SubscribableChannel>(
  client: Client,
  channel: C,
  { params, options }: { params: ChannelParams<C>; options: UseEventStreamOptions },
  signal: AbortSignal,
  update: Update<C>,
): Promise<void> {
  const { maxEvents = DEFAULT_MAX_EVENTS, enabled: _enabled, ...subscribeOptions } = options;
  try {
    const stream = client.subscribe(channel, params, {
      ...subscribeOptions,
      signal,
      onOpen: () => update((state) => ({ ...state, status: 'open' })),
      onReconnect: () => update((state) => ({ ...state, status: 'reconnecting' })),
    });
    for await (const message of stream) {
      update((state) => ({ ...state, events: [...state.events, message].slice(-maxEvents), last: message }));
    }
    if (!signal.aborted) update((state) => ({ ...state, status: 'closed', done: true }));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (!signal.aborted) update((state) => ({ ...state, status: 'error', error: failure, done: true }));
  }
}

function initialState<C extends SubscribableChannel>(enabled: boolean): EventStreamState<C> {
  return {
    events: [],
    last: undefined,
    status: enabled ? 'connecting' : 'closed',
    error: undefined,
    done: false,
  };
}

/** The identity of a stream: channel, params by value (key order ignored) and whether it is enabled. */
function streamKey(channel: ChannelId, params: object, enabled: boolean): string {
  const entries = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([channel, enabled, entries]);
}
