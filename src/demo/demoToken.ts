import type { AccessToken, Client } from '@petstore-sse/client';

/** Renew the token this long before it expires, so a request never goes out with one about to lapse. */
const RENEW_BEFORE_MS = 60_000;

/**
 * The demo's access token for `userId`: a demo token from `POST /v1/dev/tokens`, which a server in dev mode
 * issues (see README, "Security"), asked for on first use and again shortly before it expires. `undefined`
 * (no token: orders are then refused with 401) when the server issues none. `client` must send no token.
 */
export function demoToken(client: Client, userId: string): AccessToken {
  let current: Promise<{ token: string | undefined; renewAt: number }> | undefined;
  const fetchToken = async () => {
    const { data } = await client.POST('/v1/dev/tokens', { body: { userId } });
    if (!data) return { token: undefined, renewAt: Number.POSITIVE_INFINITY };
    return { token: data.accessToken, renewAt: Date.parse(data.expiresAt) - RENEW_BEFORE_MS };
  };
  return async () => {
    if (current === undefined || (await current).renewAt <= Date.now()) current = fetchToken();
    return (await current).token;
  };
}
