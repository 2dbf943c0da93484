import type { ChannelMessage, ChannelParams, Client, SubscribableChannel } from '@petstore-sse/client';
import type { ShowState } from './streamState.js';

/** What a panel does with a stream: show its state, and each event. */
export interface StreamView<C extends SubscribableChannel> {
  readonly showState: ShowState;
  readonly onMessage: (message: ChannelMessage<C>) => void;
}

/**
 * Follows `channel` with the SDK until it ends or `signal` aborts, reporting `connecting`, `open` (each time
 * the server accepts it), `reconnecting` (waiting to resume with `Last-Event-ID`), then `closed` after a
 * terminal event, or `error` after `stream-error` or a refusal. Nothing is reported once `signal` aborted.
 */
export async function followStream<C extends SubscribableChannel>(
  client: Client,
  channel: C,
  params: ChannelParams<C>,
  signal: AbortSignal,
  view: StreamView<C>,
): Promise<void> {
  const show: ShowState = (state, detail) => {
    if (!signal.aborted) view.showState(state, detail);
  };
  show('connecting');
  let failure: string | undefined;
  try {
    const messages = client.subscribe(channel, params, {
      signal,
      onOpen: () => show('open'),
      onReconnect: ({ delayMs }) => show('reconnecting', `reconnecting in ${Math.round(delayMs)} ms`),
    });
    for await (const message of messages) {
      if (signal.aborted) return;
      if (message.event === 'stream-error') failure = `stream-error: ${JSON.stringify(message.data)}`;
      view.onMessage(message);
    }
    show(failure ? 'error' : 'closed', failure);
  } catch (error) {
    show('error', error instanceof Error ? error.message : String(error));
  }
}
