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

function diff(before: InventoryItem, change: InventoryChange): InventoryUpdate['changes'] {
  const changes: InventoryUpdate['changes'] = {};
  if (change.stock !== undefined && change.stock !== before.stock) {
    changes.stock = { old: before.stock, new: change.stock };
  }
  const cents = change.price === undefined ? undefined : dollarsToCents(change.price);
  if (cents !== undefined && cents !== dollarsToCents(before.price)) {
    changes.price = { old: before.price, new: centsToDollars(cents) };
  }
  return changes;
}

async function updateLocked(tx: Db, petId: string, change: InventoryChange, now: Date) {
  const [locked] = await tx.query<InventoryRow>(`SELECT ${COLUMNS} FROM pets WHERE id = $1 FOR UPDATE`, [
    petId,
  ]);
  if (!locked) return undefined;
  const before = toItem(locked);
  const changes = diff(before, change);
  if (!changes.stock && !changes.price) return { item: before, changes };
  const [row] = await tx.query<InventoryRow>(
    `UPDATE pets SET stock = $2, price_cents = $3, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      petId,
      changes.stock?.new ?? before.stock,
      dollarsToCents(changes.price?.new ?? before.price),
      now.toISOString(),
    ],
  );
  return { item: toItem(row!), changes };
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
