export { INVENTORY_TOPIC } from '../events/index.js';
export { type InventoryFeed, type InventoryFeedOptions, openInventoryFeed } from './inventoryFeed.js';
export { createInventoryService, type InventoryService, publishStockChange } from './inventoryService.js';
