import { createClient } from '../client/index.js';
import { requireElement } from './element.js';
import { mountInventory } from './inventoryPanel.js';
import { mountOrders } from './orderPanel.js';
import { mountRecommendations } from './recommendationsPanel.js';

/** The demo page: three panels, each following one stream of this server with the typed client. */
async function main(): Promise<void> {
  const client = createClient({ baseUrl: '' });
  mountRecommendations(client);
  const { data, error } = await client.GET('/v1/inventory');
  if (error) {
    requireElement('order-summary', HTMLParagraphElement).textContent =
      `The inventory could not be loaded: ${error.detail ?? error.title}`;
    return;
  }
  const onPetChange = mountOrders(client, data.items);
  mountInventory(client, data.items, onPetChange);
}

void main();
