import { STAFF_SCOPES } from './accessTokens.js';

/**
 * `{ authorization: 'Bearer …' }` with a staff token (every scope) minted by the server at `baseUrl` itself
 * through `POST /v1/dev/tokens`: for a server in dev mode, whose random key no test can sign with.
 */
export async function devStaffBearer(baseUrl: string, userId = 'user-456'): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, scopes: STAFF_SCOPES }),
  });
  if (response.status !== 201) throw new Error(`POST /v1/dev/tokens answered ${response.status}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}
