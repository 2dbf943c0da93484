import type { FetchLike } from '@petstore-sse/client';

/** One request the console made and how it was answered, as the wire log shows it. */
export type WireRecord =
  | {
      readonly kind: 'request';
      readonly method: string;
      /** Path and query, e.g. `/v1/inventory/stream?petId=…`. */
      readonly path: string;
      readonly lastEventId: string | undefined;
      readonly authorization: boolean;
    }
  | {
      readonly kind: 'response';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly contentType: string | undefined;
    }
  | { readonly kind: 'failure'; readonly method: string; readonly path: string; readonly message: string };

/**
 * The `fetch` the console gives the client: the page's own `fetch`, with each request (its
 * `Last-Event-ID`, whether it carries a token) and each answer's status reported to `record`. This is how
 * the console shows a resume, and the `204 No Content` that ends a finished stream. An aborted request
 * (the console disconnecting) is not reported as a failure.
 */
export function recordingFetch(record: (entry: WireRecord) => void): FetchLike {
  return async (url, init) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const { pathname, search } = new URL(url, document.baseURI);
    const path = `${pathname}${search}`;
    const headers = new Headers(init.headers);
    record({
      kind: 'request',
      method,
      path,
      lastEventId: headers.get('last-event-id') ?? undefined,
      authorization: headers.has('authorization'),
    });
    try {
      const response = await fetch(url, init);
      const contentType = response.headers.get('content-type') ?? undefined;
      record({ kind: 'response', method, path, status: response.status, contentType });
      return response;
    } catch (error) {
      if (!init.signal?.aborted)
        record({
          kind: 'failure',
          method,
          path,
          message: error instanceof Error ? error.message : String(error),
        });
      throw error;
    }
  };
}
