import { createClient } from '@petstore-sse/client';
import { demoToken } from './demoToken.js';
import { requireElement } from './element.js';
import { mountInventory } from './inventoryPanel.js';
import { mountOrders, ORDER_USER } from './orderPanel.js';
import { mountRecommendations } from './recommendationsPanel.js';

/**
 * The demo page: three panels, each following one stream of this server with the typed client. Orders are
 * placed and followed as {@link ORDER_USER}, with a demo token (dev mode).
 */
async function main(): Promise<void> {
  const client = createClient({ baseUrl: '', token: demoToken(createClient({ baseUrl: '' }), ORDER_USER) });
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
