import { staffBearer } from './accessTokens.js';

/**
 * The headers of an inventory write (`PATCH /v1/inventory/{petId}`) to the server at `url`: a staff token with
 * the scope `inventory:write`, signed with the suite's key (`TEST_JWT_SECRET`, which spawned servers share).
 */
export async function inventoryWriteHeaders(_url: string): Promise<Record<string, string>> {
  return { 'content-type': 'application/json', ...(await staffBearer()) };
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
