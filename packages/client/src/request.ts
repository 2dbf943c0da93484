import { authorizationHeader } from './accessToken.js';
import { buildUrl, type ParamValues } from './buildUrl.js';
import { type ClientConfig, mergeHeaders } from './ClientConfig.js';
import { readProblem } from './readProblem.js';
import type { FetchResult } from './restTypes.js';

/** The options of a REST call once the types have done their work. */
export interface RawRequestOptions {
  params?: { path?: ParamValues; query?: ParamValues };
  body?: unknown;
  headers?: HeadersInit;
  signal?: AbortSignal;
}

/**
 * Sends one JSON request and reads the answer: a 2xx body as `data` (`undefined` when empty), anything else
 * as `error` (the problem body). Network failures reject, as `fetch` does; so does a 2xx event stream
 * (e.g. a chat completion asked with `stream: true`), which is not read here.
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
  const response = await config.fetch(url, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) return { error: await readProblem(response), response };
  if (/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
    // The stream is of no use here; a failure to cancel it changes nothing for the caller.
    await response.body?.cancel().catch(() => {});
    throw new TypeError(`${method} ${path} answered with an event stream; read streams with subscribe.`);
  }
  const text = response.status === 204 ? '' : await response.text();
  return { data: text === '' ? undefined : (JSON.parse(text) as unknown), response };
}
