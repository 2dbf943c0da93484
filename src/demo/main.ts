import { type Client, createClient, type Schemas } from '@petstore-sse/client';
import { demoToken } from './demoToken.js';
import { requireElement } from './element.js';
import { mountInventory } from './inventoryPanel.js';
import { mountOrders, ORDER_USER, type PetChange } from './orderPanel.js';
import { mountRecommendations } from './recommendationsPanel.js';
import { mountStaffControl, STAFF_NOTES } from './staffControl.js';
import { staffToken } from './staffToken.js';

/** The most pets one `GET /v1/pets` returns. */
const PAGE_SIZE = 100;

/** Every pet of the catalog (for their pictures), page by page; fewer if a page fails. */
async function allPets(client: Client): Promise<Schemas['Pet'][]> {
  const pets: Schemas['Pet'][] = [];
  for (;;) {
    const query = { limit: PAGE_SIZE, offset: pets.length };
    const { data } = await client.GET('/v1/pets', { params: { query } });
    if (data === undefined) return pets;
    pets.push(...data.items);
    if (data.items.length < PAGE_SIZE || pets.length >= data.total) return pets;
  }
}

/**
 * The demo page: three panels, each following one stream of this server with the typed client. Orders are
 * placed and followed as {@link ORDER_USER}, with a demo token (dev mode); prices are changed with a staff
 * token of the same user, asked for with the staff scope.
 */
async function main(): Promise<void> {
  const anonymous = createClient({ baseUrl: '' });
  const client = createClient({ baseUrl: '', token: demoToken(anonymous, ORDER_USER) });
  const staffNote = requireElement('staff-note', HTMLParagraphElement);
  const staff = createClient({
    baseUrl: '',
    token: staffToken(anonymous, ORDER_USER, (outcome) => {
      staffNote.textContent = STAFF_NOTES[outcome];
      staffNote.dataset.outcome = outcome;
    }),
  });
  mountRecommendations(client);
  const pets = await allPets(anonymous);
  let onPetChange: PetChange = () => {};
  const inventory = await mountInventory(anonymous, pets, (change) => onPetChange(change));
  if (inventory === undefined) {
    requireElement('order-summary', HTMLParagraphElement).textContent =
      'The inventory could not be loaded: reload the page.';
    return;
  }
  onPetChange = mountOrders(client, inventory.items);
  mountStaffControl(staff, inventory.current);
}

void main();
