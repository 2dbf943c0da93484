/**
 * The headers an inventory write (`PATCH /v1/inventory/{petId}`) needs on the server at `base`: none while
 * inventory writes are public; else a dev token (`POST /v1/dev/tokens`, so the server must run with dev tokens
 * on) with the `inventory:write` scope, or for older servers a `staff` role or none. One probe write of
 * `probeStock` (a value no workload writes) tells which. The one place the bench gets a write token.
 */
export async function inventoryWriteHeaders(
  base: string,
  petId: string,
  probeStock = 9999,
): Promise<Record<string, string>> {
  const probe = (headers: Record<string, string>) =>
    fetch(`${base}/v1/inventory/${petId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ stock: probeStock }),
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
