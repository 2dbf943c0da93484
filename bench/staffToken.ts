/** The staff scopes a bench write needs: inventory writes need `inventory:write` (issue #14), pets `catalog:write`. */
const STAFF_SCOPES = ['catalog:write', 'inventory:write'];

/**
 * `{ authorization: 'Bearer …' }` with a staff token minted by the server at `base` through
 * `POST /v1/dev/tokens` (it must run with dev tokens on: dev mode, or AUTH_JWT_SECRET with AUTH_DEV_TOKENS=true).
 */
export async function staffToken(base: string, userId = 'user-456'): Promise<Record<string, string>> {
  const response = await fetch(`${base}/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, scopes: STAFF_SCOPES }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /v1/dev/tokens answered ${response.status}: ${await response.text()}`);
  }
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}
