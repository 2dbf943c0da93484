/**
 * The headers an inventory write needs, found by asking the server (the one place the bench acquires a
 * token). One probe write (a stock no workload writes) tells: a 2xx needs nothing; on 401/403 a dev token is
 * asked for (`POST /v1/dev/tokens`), first with the `inventory:write` scope, then with a `staff` role, then
 * plain, and the first that makes the probe pass is used.
 */
export async function writeHeaders(base: string, petId: string): Promise<Record<string, string>> {
  const probe = (headers: Record<string, string>) =>
    fetch(`${base}/v1/inventory/${petId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ stock: 9999 }),
    }).then((response) => response.status);
  const status = await probe({});
  if (status >= 200 && status < 300) return {};
  if (status !== 401 && status !== 403) throw new Error(`PATCH /v1/inventory answered ${status}`);
  const asks = [
    { userId: 'user-456', scopes: ['inventory:write'] },
    { userId: 'user-456', roles: ['staff'] },
    { userId: 'user-456' },
  ];
  for (const body of asks) {
    const response = await fetch(`${base}/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) continue;
    const { accessToken } = (await response.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    const again = await probe(headers);
    if (again >= 200 && again < 300) return headers;
  }
  throw new Error(`PATCH /v1/inventory answered ${status}, and no dev token made it pass`);
}
