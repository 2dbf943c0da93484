import type { components } from '../../generated/openapi.js';
import { type Db, withinTransaction } from './Db.js';
import { ConflictError } from './errors/ConflictError.js';
import { InsufficientStockError } from './errors/InsufficientStockError.js';
import { NotFoundError } from './errors/NotFoundError.js';
import { isUuid } from './isUuid.js';
import { type AdvanceStatus, FINAL_STATUSES, previousStatus } from './orderFlow.js';
import { appendHistory, loadOrders } from './orderRow.js';
import { newTrackingNumber } from './trackingNumber.js';
import { uuidv7 } from './uuidv7.js';
import type { WriteOptions } from './WriteOptions.js';

type Order = components['schemas']['Order'];
type OrderCreate = components['schemas']['OrderCreate'];

/** A pet's stock before and after an order took or returned units. */
export interface StockLevelChange {
  petId: string;
  old: number;
  new: number;
}

/** An order together with the stock movement it caused in the same transaction. */
export interface OrderWithStock {
  order: Order;
  stockChange: StockLevelChange;
}

/** Options of {@link OrdersRepository.advance}. */
export interface AdvanceOptions extends WriteOptions {
  /** The tracking number when advancing to `shipped`; ignored otherwise. Default: a new random one. */
  trackingNumber?: string | undefined;
}

/** Orders and their status history. */
export interface OrdersRepository {
  /**
   * Takes `quantity` units of the pet's stock and records the order as `payment_processing`, atomically.
   * Throws NotFoundError (pet, user) or InsufficientStockError, leaving the stock untouched.
   */
  create(input: OrderCreate, options?: WriteOptions): Promise<OrderWithStock>;
  get(id: string): Promise<Order | undefined>;
  /** Moves an order one step along the flow; ConflictError unless it is at the status just before `next`. */
  advance(id: string, next: AdvanceStatus, options?: AdvanceOptions): Promise<Order>;
  /** Cancels an order that has not shipped and returns its units to stock; ConflictError otherwise. */
  cancel(id: string, options?: WriteOptions): Promise<OrderWithStock>;
  /** Orders neither shipped nor cancelled, oldest first, to resume their fulfilment after a restart. */
  listUnfinished(): Promise<Order[]>;
}

/** Id generation for new orders. */
export interface OrdersRepositoryOptions {
  /** Default: the process-wide {@link uuidv7}. */
  newId?: (() => string) | undefined;
}

const MAX_TOTAL_CENTS = 100_000_000;

async function loadOne(db: Db, id: string): Promise<Order> {
  const [order] = await loadOrders(db, 'id = $1', [id]);
  return order!;
}

async function takeStock(
  tx: Db,
  input: OrderCreate,
  now: Date,
): Promise<{ petId: string; stock: number; priceCents: number }> {
  const [user] = await tx.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
  if (!user) throw new NotFoundError('user', input.userId);
  if (!isUuid(input.petId)) throw new NotFoundError('pet', input.petId);
  const [taken] = await tx.query<{ pet_id: string; stock: number; price_cents: number | bigint | string }>(
    `UPDATE pets SET stock = stock - $1, updated_at = $3 WHERE id = $2 AND stock >= $1
     RETURNING id::text AS pet_id, stock, price_cents`,
    [input.quantity, input.petId, now.toISOString()],
  );
  if (taken) return { petId: taken.pet_id, stock: taken.stock, priceCents: Number(taken.price_cents) };
  const [pet] = await tx.query<{ stock: number }>('SELECT stock FROM pets WHERE id = $1', [input.petId]);
  if (!pet) throw new NotFoundError('pet', input.petId);
  throw new InsufficientStockError(input.petId, input.quantity, pet.stock);
}

async function lockOrder(tx: Db, id: string) {
  const [row] = isUuid(id)
    ? await tx.query<{ status: Order['status']; pet_id: string; quantity: number }>(
        'SELECT status, pet_id::text AS pet_id, quantity FROM orders WHERE id = $1 FOR UPDATE',
        [id],
      )
    : [];
  if (!row) throw new NotFoundError('order', id);
  return row;
}

async function setStatus(tx: Db, id: string, status: Order['status'], tracking: string | null, now: Date) {
  await tx.query('UPDATE orders SET status = $2, tracking_number = $3, updated_at = $4 WHERE id = $1', [
    id,
    status,
    tracking,
    now.toISOString(),
  ]);
  await appendHistory(tx, id, status, now);
}

/** Orders over a {@link Db}. */
export function createOrdersRepository(db: Db, options: OrdersRepositoryOptions = {}): OrdersRepository {
  const newId = options.newId ?? uuidv7;
  return {
    create: (input, { now = new Date() } = {}) =>
      withinTransaction(db, async (tx) => {
        const { petId, stock, priceCents } = await takeStock(tx, input, now);
        if (priceCents * input.quantity > MAX_TOTAL_CENTS) {
          const most = Math.floor(MAX_TOTAL_CENTS / priceCents);
          throw new ConflictError(
            `An order total may be at most 1000000.00; order at most ${most} of pet ${petId}.`,
          );
        }
        const id = newId();
        await tx.query(
          `INSERT INTO orders (id, pet_id, user_id, quantity, unit_price_cents, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'payment_processing', $6, $6)`,
          [id, petId, input.userId, input.quantity, priceCents, now.toISOString()],
        );
        await appendHistory(tx, id, 'payment_processing', now);
        const stockChange = { petId, old: stock + input.quantity, new: stock };
        return { order: await loadOne(tx, id), stockChange };
      }),

    async get(id) {
      if (!isUuid(id)) return undefined;
      const [order] = await loadOrders(db, 'id = $1', [id]);
      return order;
    },

    advance: (id, next, { now = new Date(), trackingNumber } = {}) =>
      withinTransaction(db, async (tx) => {
        const { status } = await lockOrder(tx, id);
        const expected = previousStatus(next);
        if (status !== expected) {
          throw new ConflictError(`Order ${id} is ${status}; it can become ${next} only from ${expected}.`);
        }
        const tracking = next === 'shipped' ? (trackingNumber ?? newTrackingNumber()) : null;
        await setStatus(tx, id, next, tracking, now);
        return loadOne(tx, id);
      }),

    cancel: (id, { now = new Date() } = {}) =>
      withinTransaction(db, async (tx) => {
        const order = await lockOrder(tx, id);
        if (FINAL_STATUSES.includes(order.status)) {
          throw new ConflictError(`Order ${id} is ${order.status} and can no longer be cancelled.`);
        }
        const [pet] = await tx.query<{ stock: number }>(
          'UPDATE pets SET stock = stock + $1, updated_at = $3 WHERE id = $2 RETURNING stock',
          [order.quantity, order.pet_id, now.toISOString()],
        );
        await setStatus(tx, id, 'cancelled', null, now);
        const stockChange = { petId: order.pet_id, old: pet!.stock - order.quantity, new: pet!.stock };
        return { order: await loadOne(tx, id), stockChange };
      }),

    listUnfinished: () => loadOrders(db, "status NOT IN ('shipped', 'cancelled')"),
  };
}
