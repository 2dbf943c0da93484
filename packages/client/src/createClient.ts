import type { AccessToken } from './accessToken.js';
import type { ClientConfig, FetchLike } from './ClientConfig.js';
import type { ChannelMessage, ChannelParams, SubscribableChannel, SubscribeOptions } from './channelTypes.js';
import { type RawRequestOptions, request } from './request.js';
import type { HttpMethod, RestCall } from './restTypes.js';
import { DEFAULT_RETRY, type RetryOptions } from './retryPolicy.js';
import { subscribe } from './subscribe.js';

/** Options of `createClient`. */
export interface ClientOptions {
  /** The server's origin (and path prefix, if any), e.g. `https://petstore.example` or `''` for same-origin. */
  baseUrl: string;
  /** The `fetch` used for every request and stream. Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Headers sent with every request and stream (per-call headers win). Default: none. */
  headers?: HeadersInit;
  /**
   * The access token sent as `Authorization: Bearer` with every request and stream (orders and users need
   * their owner's). A function is called before each request and each (re)connect, and lets a stream whose
   * credential expired (`stream-error` `credential_expired`) resume with a fresh token instead of ending.
   * Per-call `Authorization` headers win. Default: none.
   */
  token?: AccessToken;
  /** Validate every stream frame against its AsyncAPI schema. Default `true`. */
  validate?: boolean;
  /**
   * Send a new `Idempotency-Key` (a random UUID) with each write the contract gives one (`POST /v1/orders`,
   * `POST /v1/pets`, the PATCHes, cancel, like), kept across its retries; a call's own `Idempotency-Key`
   * header wins. Default `true`.
   */
  idempotencyKeys?: boolean;
  /**
   * Retries of REST calls after a network failure or a `503` (and a `429`/`409` with `Retry-After`), waiting
   * `Retry-After` when the server sends one: GET, HEAD, PUT, DELETE, and writes that carry an
   * `Idempotency-Key`, resent with the same key so that they take effect once. Other POSTs are never
   * retried. `false`: no retries. Default `{ retries: 2, baseDelayMs: 250, maxDelayMs: 10000 }`.
   */
  retry?: RetryOptions | false;
}

/**
 * The typed client of the pet store API. REST calls are typed by the OpenAPI `paths`: the path must have
 * the method, `params.path`/`params.query` and `body` are those of the operation. Each resolves to
 * `{ data, response }` on 2xx or `{ error, response }` with the RFC 9457 problem otherwise, and rejects only
 * when the request itself fails (network, abort) or a 2xx answer is not JSON (an event stream included).
 */
export interface Client {
  /** `GET path`, e.g. `client.GET('/v1/pets/{petId}', { params: { path: { petId } } })`. */
  readonly GET: RestCall<'get'>;
  /** `POST path` with a JSON body, e.g. `client.POST('/v1/orders', { body: { petId, quantity, userId } })`. */
  readonly POST: RestCall<'post'>;
  /** `PUT path` with a JSON body, e.g. `client.PUT('/v1/users/{userId}/preferences', { params, body })`. */
  readonly PUT: RestCall<'put'>;
  /** `PATCH path` with a JSON body, e.g. `client.PATCH('/v1/inventory/{petId}', { params, body: { stock } })`. */
  readonly PATCH: RestCall<'patch'>;
  /** `DELETE path`; the contract has no such operation yet, so no path is accepted. */
  readonly DELETE: RestCall<'delete'>;
  /**
   * The events of an AsyncAPI channel opened with `GET`, typed by its event map; e.g.
   * `for await (const { event, data } of client.subscribe('inventoryStream', {}))`.
   * (A channel answered to a `POST`, such as `chatCompletionsStream`, cannot be resumed and is not offered.)
   *
   * - Fetch-based, so the client's `fetch` and headers (e.g. `Authorization`) apply; parsed with
   *   eventsource-parser; unnamed frames come as event `message`.
   * - Every frame is checked against the generated validator (unless `validate` is off); a frame that fails,
   *   or an event the channel does not declare, makes the iterator throw `InvalidFrameError`.
   * - After a network error, or when a response ends without a terminal event, the client waits the
   *   server's `retry:` (default 3000 ms, doubled while attempts fail, with up to 10 % jitter, at most
   *   `maxRetryMs`) and reconnects with `Last-Event-ID` of the last event, so no event is lost or repeated.
   * - The iterator ends after a terminal event of the channel's grammar (`complete`, `stream-error`), when
   *   the server answers `204 No Content`, or when `signal` aborts. Exception: with a `token` function, a
   *   `stream-error` `credential_expired` is not yielded; the client reconnects with a fresh token and
   *   `Last-Event-ID` after the retry delay. Leaving a `for await` loop closes the
   *   connection.
   * - Any other status (or a response that is not `text/event-stream`) throws `StreamHttpError` with the
   *   problem body; there is no reconnect.
   * - `reset` is yielded like any other event: the server could not resume from the last id, so events
   *   were missed. Refetch the state over REST (e.g. `GET /v1/inventory`), then keep following.
   */
  subscribe<C extends SubscribableChannel>(
    channel: C,
    params: ChannelParams<C>,
    options?: SubscribeOptions,
  ): AsyncGenerator<ChannelMessage<C>, void, undefined>;
}

/**
 * A client for the server at `baseUrl`; create one per server and share it, e.g.
 * `const client = createClient({ baseUrl: 'https://petstore.example', token: () => session.accessToken })`.
 */
export function createClient(options: ClientOptions): Client {
  const config: ClientConfig = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    headers: options.headers ?? {},
    token: options.token,
    validate: options.validate ?? true,
    idempotencyKeys: options.idempotencyKeys ?? true,
    retry:
      options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry },
  };
  // The casts bridge the typed signatures to the one untyped implementation that serves them all.
  const call = <M extends HttpMethod>(method: M) =>
    ((path: string, init?: RawRequestOptions) =>
      request(config, method.toUpperCase(), path, init)) as unknown as RestCall<M>;
  return {
    GET: call('get'),
    POST: call('post'),
    PUT: call('put'),
    PATCH: call('patch'),
    DELETE: call('delete'),
    subscribe: (channel, params, subscribeOptions) => subscribe(config, channel, params, subscribeOptions),
  };
}
