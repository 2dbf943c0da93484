import { bearer, staffBearer } from '../../helpers/accessTokens.js';

/** The demo user the scenarios order as (seeded in every new database). */
export const BUYER = 'user-456';

export interface OrderAnswer {
  status: number;
  orderId: string | undefined;
  replayed: boolean;
  /** The problem's `type` of an error answer. */
  problem?: string | undefined;
}

/** `POST /v1/orders` of `quantity` (default 1) of `petId` for {@link BUYER}, with an `Idempotency-Key` if given. */
export async function placeOrder(
  url: string,
  petId: string,
  { idempotencyKey, quantity = 1 }: { idempotencyKey?: string; quantity?: number } = {},
): Promise<OrderAnswer> {
  const response = await fetch(`${url}/v1/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await bearer(BUYER)),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({ petId, quantity, userId: BUYER }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => ({}))) as { id?: string; type?: string };
  return {
    status: response.status,
    orderId: body.id,
    replayed: response.headers.get('idempotency-replayed') === 'true',
    problem: response.status >= 400 ? body.type : undefined,
  };
}

/** The status of an order (`GET /v1/orders/{id}` as its owner), or the HTTP status when that fails. */
export async function orderStatus(url: string, orderId: string): Promise<string> {
  try {
    const response = await fetch(`${url}/v1/orders/${orderId}`, {
      headers: await bearer(BUYER),
      signal: AbortSignal.timeout(2000),
    });
    if (response.status !== 200) return `HTTP ${response.status}`;
    return ((await response.json()) as { status: string }).status;
  } catch (error) {
    return String((error as Error).cause ?? error);
  }
}

/** Sets a pet's stock (to have units to order) as staff, failing unless the server says 200. */
export async function setStock(url: string, petId: string, stock: number): Promise<void> {
  const response = await fetch(`${url}/v1/inventory/${petId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(await staffBearer()) },
    body: JSON.stringify({ stock }),
  });
  if (response.status !== 200)
    throw new Error(`PATCH stock answered ${response.status}: ${await response.text()}`);
}
