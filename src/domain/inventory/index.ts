export {
  INVENTORY_TOPIC,
  type InventoryFeed,
  type InventoryFeedOptions,
  openInventoryFeed,
} from './inventoryFeed.js';
export { createInventoryService, INVENTORY_LOCK, type InventoryService } from './inventoryService.js';
