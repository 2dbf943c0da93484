import { channels } from '../../../generated/channels.js';
import type { ChannelId } from '../../../generated/events.js';
import { authorizationHeader } from './accessToken.js';
import { type ClientConfig, mergeHeaders } from './ClientConfig.js';
import type { ChannelMessage, ChannelParams, SubscribableChannel, SubscribeOptions } from './channelTypes.js';
import { channelUrl } from './channelUrl.js';
import { decodeFrame } from './decodeFrame.js';
import { ClientError } from './errors/ClientError.js';
import { StreamHttpError } from './errors/StreamHttpError.js';
import { readFrames } from './readFrames.js';
import { readProblem } from './readProblem.js';
import { DEFAULT_MAX_RETRY_MS, DEFAULT_RETRY_MS, reconnectDelay, wait } from './reconnectDelay.js';

/** What stays the same across the reconnects of one subscription. */
interface Subscription<C extends SubscribableChannel> {
  readonly config: ClientConfig;
  readonly channel: C;
  readonly url: string;
  readonly options: SubscribeOptions;
  readonly validate: boolean;
  readonly terminal: readonly string[];
  readonly signal: AbortSignal;
}

/** What one connection leaves to the next. */
interface Cursor {
  lastEventId: string | undefined;
  retryMs: number;
  failedAttempts: number;
}

/** How a connection ended: for good, or in a way that calls for a reconnect. */
type ConnectionEnd =
  | { readonly finished: true }
  | { readonly finished: false; opened: boolean; error: unknown };
const FINISHED: ConnectionEnd = { finished: true };

/**
 * The events of `channel` as an async iterable, following the stream across reconnects (see
 * `Client.subscribe` for the rules). Nothing is requested until the first `next()`; leaving the loop, or
 * aborting `options.signal`, aborts the request in flight.
 */
export async function* subscribe<C extends SubscribableChannel>(
  config: ClientConfig,
  channel: C,
  params: ChannelParams<C>,
  options: SubscribeOptions = {},
): AsyncGenerator<ChannelMessage<C>, void, undefined> {
  if (channels[channel].method !== 'GET')
    throw new TypeError(
      `${channel} is answered to a ${channels[channel].method}; subscribe follows GET streams.`,
    );
  const controller = new AbortController();
  const unfollow = followSignal(options.signal, controller);
  const subscription: Subscription<C> = {
    config,
    channel,
    url: channelUrl(config.baseUrl, channel, params),
    options,
    validate: options.validate ?? config.validate,
    terminal: channels[channel].grammar.terminal,
    signal: controller.signal,
  };
  const cursor: Cursor = { lastEventId: options.lastEventId, retryMs: DEFAULT_RETRY_MS, failedAttempts: 0 };
  try {
    while (!controller.signal.aborted) {
      const end = yield* connect(subscription, cursor);
      if (end.finished || controller.signal.aborted) return;
      cursor.failedAttempts = end.opened ? 0 : cursor.failedAttempts + 1;
      const maxMs = options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
      const delayMs = reconnectDelay(cursor.retryMs, cursor.failedAttempts, maxMs);
      options.onReconnect?.({ delayMs, lastEventId: cursor.lastEventId || undefined, error: end.error });
      await wait(delayMs, controller.signal);
    }
  } finally {
    unfollow();
    controller.abort();
  }
}

/** One connection: its events, then how it ended. */
async function* connect<C extends SubscribableChannel>(
  subscription: Subscription<C>,
  cursor: Cursor,
): AsyncGenerator<ChannelMessage<C>, ConnectionEnd, undefined> {
  const { config, channel, options, signal } = subscription;
  let opened = false;
  try {
    const auth = await authorizationHeader(config.token);
    const headers = mergeHeaders(config.headers, auth, options.headers, { accept: 'text/event-stream' });
    // [spec] "If the last event ID string is not the empty string, set Last-Event-ID."
    if (cursor.lastEventId) headers.set('last-event-id', cursor.lastEventId);
    const response = await config.fetch(subscription.url, { headers, signal });
    // A finished stream answers a resume with 204: [spec] any status other than 200 fails the connection.
    if (response.status === 204) return FINISHED;
    if (!isEventStream(response)) throw await refusal(channel, response);
    opened = true;
    options.onOpen?.(response);
    if (response.body === null) return { finished: false, opened, error: undefined };
    const onRetry = (retryMs: number) => {
      cursor.retryMs = retryMs;
    };
    const onId = (id: string) => {
      cursor.lastEventId = id;
    };
    for await (const frame of readFrames(response.body, onRetry, onId)) {
      // [spec] an `id:` field sets the last event ID, also to the empty string; a frame without one keeps it.
      if (frame.id !== undefined) cursor.lastEventId = frame.id;
      const message = decodeFrame(channel, frame, cursor.lastEventId ?? '', subscription.validate);
      if (message === undefined) continue;
      // With a token function, an expired credential is a reconnect with a fresh token, not the end.
      if (typeof config.token === 'function' && credentialExpired(message)) return reconnect(opened);
      yield message;
      if (subscription.terminal.includes(message.event)) return FINISHED;
    }
    return { finished: false, opened, error: undefined };
  } catch (error) {
    if (error instanceof ClientError) throw error;
    if (signal.aborted) return FINISHED;
    return { finished: false, opened, error };
  }
}

const reconnect = (opened: boolean): ConnectionEnd => ({ finished: false, opened, error: undefined });

/** The server ended the stream because its credential expired (`stream-error` `credential_expired`). */
function credentialExpired(message: { event: string; data: unknown }): boolean {
  return (
    message.event === 'stream-error' && (message.data as { code?: unknown }).code === 'credential_expired'
  );
}

/** [spec] A status other than 200, or a content type other than `text/event-stream`, fails the connection. */
function isEventStream(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return response.status === 200 && /^text\/event-stream\s*(;|$)/i.test(type);
}

async function refusal(channel: ChannelId, response: Response): Promise<StreamHttpError> {
  if (response.status !== 200)
    return new StreamHttpError(channel, response.status, await readProblem(response));
  // The body is of no use; a failure to cancel it changes nothing for the caller.
  await response.body?.cancel().catch(() => {});
  const type = response.headers.get('content-type') ?? 'none';
  const detail = `Expected a text/event-stream response, got content type ${type}.`;
  return new StreamHttpError(channel, 200, {
    type: 'about:blank',
    title: 'Not an event stream',
    status: 200,
    detail,
  });
}

/** Aborts `controller` when `signal` aborts; returns the function that stops listening. */
function followSignal(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (signal === undefined) return () => {};
  const abort = () => controller.abort(signal.reason);
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return () => signal.removeEventListener('abort', abort);
}
