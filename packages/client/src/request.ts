import { authorizationHeader } from './accessToken.js';
import { buildUrl, type ParamValues } from './buildUrl.js';
import { type ClientConfig, mergeHeaders } from './ClientConfig.js';
import { readProblem } from './readProblem.js';
import { wait } from './reconnectDelay.js';
import type { FetchResult } from './restTypes.js';
import { mayRetry, retryDelay, takesIdempotencyKey } from './retryPolicy.js';

/** The options of a REST call once the types have done their work. */
export interface RawRequestOptions {
  params?: { path?: ParamValues; query?: ParamValues };
  body?: unknown;
  headers?: HeadersInit;
  signal?: AbortSignal;
}

/**
 * Sends one JSON request and reads the answer: a 2xx body as `data` (`undefined` when empty), anything else
 * as `error` (the problem body). A write the contract gives an `Idempotency-Key` gets a new one (unless the
 * call sends its own, or the client's `idempotencyKeys` is off); such a write, and a GET, HEAD, PUT or DELETE,
 * is retried after a network failure or a 503 (see `retryDelay`) with the same key, so it takes effect once.
 * Network failures that are not retried reject, as `fetch` does; so does a 2xx event stream (e.g. a chat
 * completion asked with `stream: true`), which is not read here.
 */
export async function request(
  config: ClientConfig,
  method: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<FetchResult<unknown>> {
  const url = buildUrl(config.baseUrl, path, options.params?.path, options.params?.query);
  const auth = await authorizationHeader(config.token);
  const headers = mergeHeaders({ accept: 'application/json' }, config.headers, auth, options.headers);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (config.idempotencyKeys && takesIdempotencyKey(method, path) && !headers.has('idempotency-key'))
    headers.set('idempotency-key', globalThis.crypto.randomUUID());
  const init: RequestInit = {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const response = await send(config, url, init, mayRetry(method, headers), options.signal);
  if (!response.ok) return { error: await readProblem(response), response };
  if (/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
    // The stream is of no use here; a failure to cancel it changes nothing for the caller.
    await response.body?.cancel().catch(() => {});
    throw new TypeError(`${method} ${path} answered with an event stream; read streams with subscribe.`);
  }
  const text = response.status === 204 ? '' : await response.text();
  return { data: text === '' ? undefined : (JSON.parse(text) as unknown), response };
}

/** `fetch`, sent again (the same request, the same headers) while `retryDelay` says to. */
async function send(
  config: ClientConfig,
  url: string,
  init: RequestInit,
  retryable: boolean,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const never = new AbortController().signal;
  for (let retry = 0; ; retry++) {
    let response: Response;
    try {
      response = await config.fetch(url, init);
    } catch (error) {
      const delay = retryable && !signal?.aborted ? retryDelay(config.retry, retry) : undefined;
      if (delay === undefined) throw error;
      await wait(delay, signal ?? never);
      continue;
    }
    const delay = retryable ? retryDelay(config.retry, retry, response) : undefined;
    if (delay === undefined) return response;
    // This answer is replaced by the retry's; a failure to cancel its body changes nothing.
    await response.body?.cancel().catch(() => {});
    await wait(delay, signal ?? never);
  }
}
