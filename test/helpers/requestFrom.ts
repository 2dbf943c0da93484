import { type IncomingMessage, request } from 'node:http';

/** An answer to {@link requestFrom}: its head at once, its body when read, or the connection cut. */
export interface AnswerFrom {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly response: IncomingMessage;
  /** Reads the rest of the body as text. */
  text(): Promise<string>;
  /** Cuts the connection (a client that leaves). */
  destroy(): void;
}

/**
 * A request from a given local address (127.0.0.x: each is another client) on a connection of its own, so a
 * test can be several clients, or a proxy that forwards for them. Resolves once the head arrives.
 */
export function requestFrom(
  url: string,
  from: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<AnswerFrom> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { localAddress: from, agent: false, method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        // A stream cut by its server (killed on purpose) ends the body with an error nobody waits for.
        response.on('error', () => {});
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          response,
          text: async () => {
            let text = '';
            for await (const chunk of response) text += String(chunk);
            return text;
          },
          destroy: () => outgoing.destroy(),
        });
      },
    );
    outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
    outgoing.end(options.body);
  });
}
