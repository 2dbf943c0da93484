import type { AccessToken, Client, Schemas } from '@petstore-sse/client';

/** The scope a token needs for catalog and inventory writes: the staff role. */
export const INVENTORY_WRITE = 'inventory:write';

/** Renew the token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

/** What the server said when asked for a staff token. */
export type StaffTokenOutcome =
  /** A dev token was issued for the request that names the scope. */
  | 'issued'
  /** The server refused the `scopes` field (it has no staff role yet): changes go without a token. */
  | 'no-roles'
  /** The server issues no dev tokens (dev mode off) or failed: changes go without a token. */
  | 'unavailable';

/**
 * The staff control's access token, and the one place it is asked for: a dev token of `userId` with scope
 * {@link INVENTORY_WRITE} from `POST /v1/dev/tokens` (dev mode only), asked for on first use and again
 * shortly before it expires. A server without the staff role refuses the `scopes` field (`400`) and needs
 * no token for a price change, so the token is then `undefined` and the change is sent without one; a server
 * with the role answers such a change `401`/`403`. Each answer is reported to `onOutcome`. `client` must
 * send no token.
 */
export function staffToken(
  client: Client,
  userId: string,
  onOutcome: (outcome: StaffTokenOutcome) => void = () => {},
): AccessToken {
  let current: Promise<{ token: string | undefined; renewAt: number }> | undefined;
  const fetchToken = async () => {
    // `scopes` is the request of the staff role (security issue); until the contract has it, the request
    // type does not, so the body is built apart (a fresh literal would be refused as an excess property).
    const body: Schemas['DevTokenRequest'] & { scopes?: string[] } = { userId, scopes: [INVENTORY_WRITE] };
    const { data, error } = await client.POST('/v1/dev/tokens', { body });
    if (data) {
      onOutcome('issued');
      return { token: data.accessToken, renewAt: Date.parse(data.expiresAt) - RENEW_BEFORE_MS };
    }
    onOutcome(error.status === 400 ? 'no-roles' : 'unavailable');
    // Not asked again while the page is open: the answer will not change.
    return { token: undefined, renewAt: Number.POSITIVE_INFINITY };
  };
  return async () => {
    if (current === undefined || (await current).renewAt <= Date.now()) current = fetchToken();
    return (await current).token;
  };
}
