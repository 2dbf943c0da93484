import type { Client, Schemas } from '@petstore-sse/client';
import { requireElement } from './element.js';
import { followStream } from './followStream.js';
import { type InventoryChange, InventoryTicker } from './InventoryTicker.js';
import { stateBadge } from './streamState.js';

type InventoryItem = Schemas['InventoryItem'];
type Pet = Schemas['Pet'];

/**
 * Follows the inventory stream and shows every pet's stock and price, loaded with `GET /v1/inventory` once
 * the stream is open (so no change falls between the two) and again after a `reset`; stops following when
 * the list cannot be loaded. Each applied change also goes to `onChange`. Resolves to the pets as first shown (`undefined` when they could not be loaded),
 * and gives `current()` for the pets as shown now.
 */
export async function mountInventory(
  client: Client,
  pets: readonly Pet[],
  onChange: (change: InventoryChange) => void,
): Promise<{ items: readonly InventoryItem[]; current: () => readonly InventoryItem[] } | undefined> {
  const ticker = new InventoryTicker(requireElement('inventory-ticker', HTMLUListElement), pets);
  const note = requireElement('inventory-note', HTMLParagraphElement);
  const badge = stateBadge(requireElement('inventory-state', HTMLOutputElement));
  let first: ((loaded: boolean) => void) | undefined;
  const ready = new Promise<boolean>((resolve) => {
    first = resolve;
  });
  const following = new AbortController();
  const reload = async () => {
    let failure: string | undefined;
    try {
      const { data, error } = await client.GET('/v1/inventory');
      if (error) failure = error.detail ?? error.title;
      else ticker.load(data.items);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure !== undefined) {
      // Without the list, the changes held for it would pile up: stop following.
      following.abort();
      badge('error', failure);
      note.textContent = `The inventory could not be loaded: ${failure}`;
    }
    first?.(failure === undefined);
    first = undefined;
  };
  void followStream(client, 'inventoryStream', {}, following.signal, {
    showState: (state, detail) => {
      badge(state, detail);
      if (state === 'open' && !ticker.loaded && first) void reload();
      if (state === 'error') first?.(false);
    },
    onMessage: (message) => {
      if (message.event === 'stock-change' || message.event === 'price-change') {
        if (ticker.apply(message.data)) onChange(message.data);
      } else if (message.event === 'reset') {
        note.textContent = 'Some changes were missed: the inventory was loaded again.';
        ticker.hold();
        void reload();
      } else note.textContent = `The stream ended: ${message.data.message}`;
    },
  });
  if (!(await ready)) return undefined;
  return { items: ticker.items, current: () => ticker.items };
}
