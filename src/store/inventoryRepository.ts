import type { components } from '../../generated/openapi.js';
import { type Db, withinTransaction } from './Db.js';
import { isUuid } from './isUuid.js';
import { centsToDollars, dollarsToCents } from './money.js';
import { toTimestamp } from './timestamp.js';
import type { WriteOptions } from './WriteOptions.js';

type InventoryItem = components['schemas']['InventoryItem'];

/** New stock and/or price of a pet (price in dollars). */
export interface InventoryChange {
  stock?: number | undefined;
  price?: number | undefined;
}

/** A value before and after an update. */
export interface ValueChange {
  old: number;
  new: number;
}

/** The result of an inventory update: the item as stored, and only the values that really changed. */
export interface InventoryUpdate {
  item: InventoryItem;
  changes: { stock?: ValueChange; price?: ValueChange };
}

/** Stock and prices of the catalog. */
export interface InventoryRepository {
  /** Every pet's stock and price, oldest pet first. */
  list(): Promise<InventoryItem[]>;
  /**
   * Sets stock and/or price in one transaction, locking the row. Values equal to the stored ones are not
   * reported in `changes`; when nothing changes, nothing is written. `undefined` when no pet has the id.
   */
  update(
    petId: string,
    change: InventoryChange,
    options?: WriteOptions,
  ): Promise<InventoryUpdate | undefined>;
}

interface InventoryRow {
  pet_id: string;
  name: string;
  stock: number;
  price_cents: number | bigint | string;
  updated_at: Date | string;
}

const COLUMNS = 'id::text AS pet_id, name, stock, price_cents, updated_at';

function toItem(row: InventoryRow): InventoryItem {
  return {
    petId: row.pet_id,
    name: row.name,
    stock: row.stock,
    price: centsToDollars(row.price_cents),
    updatedAt: toTimestamp(row.updated_at),
  };
}

/**
 * Locks the pet's row, sets what the change really changes and returns the row with its values before: one
 * statement, so one round trip to the database on the write path. The `old` subquery's `FOR UPDATE` waits for
 * a concurrent writer and then reads the row as it committed, so `old_*` are the values this update replaces.
 * No row: no pet has the id, or nothing would change (then nothing is written).
 */
const UPDATE_CHANGED = `UPDATE pets AS p
     SET stock = coalesce($2::integer, old.stock), price_cents = coalesce($3::bigint, old.price_cents), updated_at = $4
    FROM (SELECT id, stock, price_cents FROM pets WHERE id = $1 FOR UPDATE) AS old
   WHERE p.id = old.id
     AND (old.stock <> coalesce($2::integer, old.stock) OR old.price_cents <> coalesce($3::bigint, old.price_cents))
   RETURNING p.id::text AS pet_id, p.name, p.stock, p.price_cents, p.updated_at,
             old.stock AS old_stock, old.price_cents AS old_price_cents`;

interface UpdatedRow extends InventoryRow {
  old_stock: number;
  old_price_cents: number | bigint | string;
}

async function updateLocked(tx: Db, petId: string, change: InventoryChange, now: Date) {
  const cents = change.price === undefined ? null : dollarsToCents(change.price);
  const [row] = await tx.query<UpdatedRow>(UPDATE_CHANGED, [
    petId,
    change.stock ?? null,
    cents,
    now.toISOString(),
  ]);
  if (!row) {
    const [current] = await tx.query<InventoryRow>(`SELECT ${COLUMNS} FROM pets WHERE id = $1`, [petId]);
    return current ? { item: toItem(current), changes: {} } : undefined;
  }
  const item = toItem(row);
  const changes: InventoryUpdate['changes'] = {};
  if (row.old_stock !== item.stock) changes.stock = { old: row.old_stock, new: item.stock };
  if (Number(row.old_price_cents) !== Number(row.price_cents)) {
    changes.price = { old: centsToDollars(row.old_price_cents), new: item.price };
  }
  return { item, changes };
}

/** Stock and prices over a {@link Db}. */
export function createInventoryRepository(db: Db): InventoryRepository {
  return {
    async list() {
      const rows = await db.query<InventoryRow>(`SELECT ${COLUMNS} FROM pets ORDER BY created_at, id`);
      return rows.map(toItem);
    },

    async update(petId, change, { now = new Date() } = {}) {
      if (!isUuid(petId)) return undefined;
      return withinTransaction(db, (tx) => updateLocked(tx, petId, change, now));
    },
  };
}
