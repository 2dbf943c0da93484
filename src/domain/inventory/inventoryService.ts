import type { components } from '../../../generated/openapi.js';
import type { EventLog } from '../../bus/index.js';
import type { InventoryRepository, StockLevelChange } from '../../store/index.js';
import { notFound } from '../DomainError.js';
import type { Lock } from '../Lock.js';
import { INVENTORY_TOPIC } from './inventoryFeed.js';

type InventoryItem = components['schemas']['InventoryItem'];
type InventoryUpdate = components['schemas']['InventoryUpdate'];

/** The key under which every stock or price change of this process is serialised with its event. */
export const INVENTORY_LOCK = 'inventory';

/** Stock and prices, and the `stock-change` / `price-change` events every change publishes. */
export interface InventoryService {
  list(): Promise<InventoryItem[]>;
  /**
   * Sets stock and/or price; publishes one event per value that really changed. The event log is asked first,
   * so an unreachable log refuses the change (EventLogUnavailableError) instead of committing it unpublished.
   */
  update(petId: string, change: InventoryUpdate): Promise<InventoryItem>;
  /** Publishes the stock movement of an order or a cancellation (already committed). */
  publishStockChange(change: StockLevelChange, at: Date): Promise<string>;
}

export function createInventoryService(deps: {
  inventory: InventoryRepository;
  eventLog: EventLog;
  lock: Lock;
}): InventoryService {
  const publishStockChange = (change: StockLevelChange, at: Date) =>
    deps.eventLog.append(INVENTORY_TOPIC, 'stock-change', {
      petId: change.petId,
      oldStock: change.old,
      newStock: change.new,
      timestamp: at.toISOString(),
    });

  return {
    list: () => deps.inventory.list(),

    update: (petId, change) =>
      deps.lock(INVENTORY_LOCK, async () => {
        await deps.eventLog.head(INVENTORY_TOPIC);
        const now = new Date();
        const result = await deps.inventory.update(petId, change, { now });
        if (!result) throw notFound('pet', petId);
        const { stock, price } = result.changes;
        if (stock) await publishStockChange({ petId, ...stock }, now);
        if (price) {
          await deps.eventLog.append(INVENTORY_TOPIC, 'price-change', {
            petId,
            oldPrice: price.old,
            newPrice: price.new,
            timestamp: now.toISOString(),
          });
        }
        return result.item;
      }),

    publishStockChange,
  };
}
