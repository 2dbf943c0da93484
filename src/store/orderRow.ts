import type { components } from '../../generated/openapi.js';
import type { Db } from './Db.js';
import { centsToDollars } from './money.js';
import { toTimestamp } from './timestamp.js';

type Order = components['schemas']['Order'];
type OrderStatus = components['schemas']['OrderStatus'];

interface OrderRow {
  id: string;
  pet_id: string;
  user_id: string;
  quantity: number;
  unit_price_cents: number | bigint | string;
  total_cents: number | bigint | string;
  status: OrderStatus;
  tracking_number: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface HistoryRow {
  order_id: string;
  status: OrderStatus;
  at: Date | string;
}

const ORDER_COLUMNS = `id::text AS id, pet_id::text AS pet_id, user_id, quantity, unit_price_cents,
  unit_price_cents * quantity AS total_cents, status, tracking_number, created_at, updated_at`;

function toOrder(row: OrderRow, history: Order['history']): Order {
  return {
    id: row.id,
    petId: row.pet_id,
    userId: row.user_id,
    quantity: row.quantity,
    unitPrice: centsToDollars(row.unit_price_cents),
    total: centsToDollars(row.total_cents),
    status: row.status,
    ...(row.tracking_number === null ? {} : { trackingNumber: row.tracking_number }),
    history,
    createdAt: toTimestamp(row.created_at),
    updatedAt: toTimestamp(row.updated_at),
  };
}

async function loadHistories(db: Db, ids: string[]): Promise<Map<string, Order['history']>> {
  const rows = await db.query<HistoryRow>(
    `SELECT order_id::text AS order_id, status, at FROM order_status_history
     WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, seq`,
    [ids],
  );
  const histories = new Map<string, Order['history']>();
  for (const row of rows) {
    const history = histories.get(row.order_id) ?? [];
    history.push({ status: row.status, timestamp: toTimestamp(row.at) });
    histories.set(row.order_id, history);
  }
  return histories;
}

/**
 * Loads the orders matching `where` (a condition on `orders` using `params`), oldest first, each with its
 * full status history in order.
 */
export async function loadOrders(db: Db, where: string, params: readonly unknown[] = []): Promise<Order[]> {
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where} ORDER BY created_at, id`,
    params,
  );
  if (rows.length === 0) return [];
  const histories = await loadHistories(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toOrder(row, histories.get(row.id) ?? []));
}

/** Appends `status` at `now` to an order's history, after its last entry. */
export async function appendHistory(db: Db, orderId: string, status: OrderStatus, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO order_status_history (order_id, seq, status, at)
     SELECT $1, coalesce(max(seq), 0) + 1, $2, $3 FROM order_status_history WHERE order_id = $1`,
    [orderId, status, now.toISOString()],
  );
}
