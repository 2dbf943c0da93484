/**
 * The headers of an inventory write (`PATCH /v1/inventory/{petId}`) to the server at `url`. Today the write
 * needs no token. Once it needs the scope `inventory:write`, this is the one place to fetch one (in dev mode,
 * `POST /v1/dev/tokens` with `{ userId, scopes: ['inventory:write'] }`).
 */
export async function inventoryWriteHeaders(_url: string): Promise<Record<string, string>> {
  return { 'content-type': 'application/json' };
}

/** Sets a pet's price through the server at `url`; resolves with the answer's status. */
export async function setPrice(url: string, petId: string, price: number): Promise<number> {
  const response = await fetch(`${url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: await inventoryWriteHeaders(url),
    body: JSON.stringify({ price }),
  });
  await response.arrayBuffer();
  return response.status;
}
