import type { components } from '../../../generated/openapi.js';
import type { StockLevelChange } from '../../store/index.js';
import { notFound } from '../DomainError.js';
import { type EventLog, INVENTORY_TOPIC, type Publish } from '../events/index.js';

type InventoryItem = components['schemas']['InventoryItem'];
type InventoryUpdate = components['schemas']['InventoryUpdate'];

/** Stock and prices, and the `stock-change` / `price-change` events every change publishes. */
export interface InventoryService {
  list(): Promise<InventoryItem[]>;
  /**
   * Sets stock and/or price, and publishes one event per value that really changed, in the same transaction:
   * the change and its events commit together or not at all.
   */
  update(petId: string, change: InventoryUpdate): Promise<InventoryItem>;
}

/** Publishes the `stock-change` of an order or a cancellation, in the transaction that moved the stock. */
export function publishStockChange(publish: Publish, change: StockLevelChange, at: Date): void {
  publish(INVENTORY_TOPIC, {
    event: 'stock-change',
    data: { petId: change.petId, oldStock: change.old, newStock: change.new, timestamp: at.toISOString() },
  });
}

export function createInventoryService(deps: {
  eventLog: EventLog;
  list: () => Promise<InventoryItem[]>;
}): InventoryService {
  return {
    list: deps.list,

    update: (petId, change) =>
      deps.eventLog.write(
        async (tx, publish) => {
          const now = new Date();
          const result = await tx.inventory.update(petId, change, { now });
          if (!result) throw notFound('pet', petId);
          const { stock, price } = result.changes;
          if (stock) publishStockChange(publish, { petId, ...stock }, now);
          if (price) {
            publish(INVENTORY_TOPIC, {
              event: 'price-change',
              data: { petId, oldPrice: price.old, newPrice: price.new, timestamp: now.toISOString() },
            });
          }
          return result.item;
        },
        { lockKey: `pet:${petId}` },
      ),
  };
}
