import type { ChannelMessage, Client, PriceChange, Schemas, StockChange } from '@petstore-sse/client';
import { element, requireElement } from './element.js';
import { followStream } from './followStream.js';
import { formatPrice, formatTime } from './format.js';
import { stateBadge } from './streamState.js';

type InventoryItem = Schemas['InventoryItem'];

/** How many changes the ticker keeps on screen. */
const TICKER_SIZE = 30;

function tickerItem(
  message: ChannelMessage<'inventoryStream'>,
  nameOf: (petId: string) => string,
): HTMLLIElement {
  const line = (timestamp: string, pet: string, change: string) =>
    element(
      'li',
      { 'data-event': message.event },
      element('time', { datetime: timestamp }, formatTime(timestamp)),
      element('span', { class: 'event' }, message.event),
      element('strong', {}, pet),
      element('span', { class: 'change' }, change),
    );
  const now = new Date().toISOString();
  switch (message.event) {
    case 'stock-change': {
      const { petId, oldStock, newStock, timestamp } = message.data;
      return line(timestamp, nameOf(petId), `stock ${oldStock} → ${newStock}`);
    }
    case 'price-change': {
      const { petId, oldPrice, newPrice, timestamp } = message.data;
      return line(timestamp, nameOf(petId), `${formatPrice(oldPrice)} → ${formatPrice(newPrice)}`);
    }
    case 'reset':
      return line(now, 'missed changes', message.data.detail);
    case 'stream-error':
      return line(now, 'stream ended', message.data.message);
  }
}

/**
 * Follows the endless inventory stream and shows each `stock-change` and `price-change` as it arrives,
 * newest first, with the pet's name from `pets` (`GET /v1/inventory`); each change also goes to `onChange`.
 */
export function mountInventory(
  client: Client,
  pets: readonly InventoryItem[],
  onChange: (change: StockChange | PriceChange) => void,
): void {
  const ticker = requireElement('inventory-ticker', HTMLUListElement);
  const showState = stateBadge(requireElement('inventory-state', HTMLOutputElement));
  const names = new Map(pets.map((pet) => [pet.petId, pet.name]));
  const nameOf = (petId: string) => names.get(petId) ?? petId.slice(0, 8);
  void followStream(client, 'inventoryStream', {}, new AbortController().signal, {
    showState,
    onMessage: (message) => {
      if (message.event === 'stock-change' || message.event === 'price-change') onChange(message.data);
      ticker.prepend(tickerItem(message, nameOf));
      while (ticker.children.length > TICKER_SIZE) ticker.lastElementChild?.remove();
    },
  });
}
