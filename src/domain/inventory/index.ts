export { INVENTORY_TOPIC, type InventoryFeedOptions, openInventoryFeed } from './inventoryFeed.js';
