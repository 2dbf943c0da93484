import type { Client, PriceChange, Schemas, StockChange } from '@petstore-sse/client';
import { element, requireElement } from './element.js';
import { followStream } from './followStream.js';
import { formatPrice, formatTime } from './format.js';
import { petPicture } from './petPicture.js';
import { stateBadge } from './streamState.js';

type InventoryItem = Schemas['InventoryItem'];
type Pet = Schemas['Pet'];
type Change = StockChange | PriceChange;

/** One pet of the ticker: what it shows and the elements that show it. */
interface Row {
  item: InventoryItem;
  readonly line: HTMLLIElement;
  readonly price: HTMLElement;
  readonly stock: HTMLElement;
  readonly change: HTMLElement;
}

const stockText = (stock: number) => (stock === 0 ? 'sold out' : `${stock} in stock`);

/**
 * The ticker: every pet with its picture, price and stock, from `GET /v1/inventory`, kept current by the
 * inventory stream. A changed pet moves to the top with its change. Changes that arrive before the list
 * are held and applied over it, unless the list is newer; a `reset` reloads the list.
 */
class InventoryTicker {
  readonly #list: HTMLUListElement;
  readonly #pets: ReadonlyMap<string, Pet>;
  readonly #rows = new Map<string, Row>();
  /** Changes received before the list was loaded; `undefined` once it is. */
  #held: Change[] | undefined = [];

  constructor(list: HTMLUListElement, pets: readonly Pet[]) {
    this.#list = list;
    this.#pets = new Map(pets.map((pet) => [pet.id, pet]));
  }

  get items(): readonly InventoryItem[] {
    return [...this.#rows.values()].map((row) => row.item);
  }

  get loaded(): boolean {
    return this.#held === undefined;
  }

  /** Holds the changes that arrive from now until the next {@link load}, which they are applied over. */
  hold(): void {
    this.#held ??= [];
  }

  /** Shows `items`, then the changes held meanwhile. */
  load(items: readonly InventoryItem[]): void {
    this.#rows.clear();
    this.#list.replaceChildren(...items.map((item) => this.#row(item).line));
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const change of held) this.apply(change);
  }

  /** Applies a change (held until the list is loaded); `false` when it is older than what is shown. */
  apply(change: Change): boolean {
    if (this.#held) {
      this.#held.push(change);
      return false;
    }
    const row = this.#rows.get(change.petId);
    if (row === undefined || Date.parse(change.timestamp) < Date.parse(row.item.updatedAt)) return false;
    row.item = { ...row.item, updatedAt: change.timestamp };
    if ('newStock' in change) {
      row.item.stock = change.newStock;
      row.stock.textContent = stockText(change.newStock);
      row.change.textContent = `stock ${change.oldStock} → ${change.newStock}`;
    } else {
      row.item.price = change.newPrice;
      row.price.textContent = formatPrice(change.newPrice);
      row.change.textContent = `${formatPrice(change.oldPrice)} → ${formatPrice(change.newPrice)}`;
    }
    row.change.append(' ', element('time', { datetime: change.timestamp }, formatTime(change.timestamp)));
    row.line.dataset.event = 'newStock' in change ? 'stock-change' : 'price-change';
    row.line.dataset.soldOut = String(row.item.stock === 0);
    this.#list.prepend(row.line);
    // Restarts the highlight animation: it runs when the class is added to a laid-out element.
    row.line.classList.remove('changed');
    void row.line.offsetWidth;
    row.line.classList.add('changed');
    return true;
  }

  #row(item: InventoryItem): Row {
    const pet = this.#pets.get(item.petId);
    const price = element('span', { class: 'price' }, formatPrice(item.price));
    const stock = element('span', { class: 'stock' }, stockText(item.stock));
    const change = element('span', { class: 'change' });
    const about = pet ? `${pet.breed} · ${pet.species}` : '';
    const line = element(
      'li',
      { 'data-pet-id': item.petId, 'data-sold-out': String(item.stock === 0) },
      pet ? petPicture(pet) : element('span', { class: 'pet-picture' }),
      element('div', { class: 'pet' }, element('strong', {}, item.name), element('small', {}, about), change),
      element('div', { class: 'figures' }, price, stock),
    );
    const row = { item: { ...item }, line, price, stock, change };
    this.#rows.set(item.petId, row);
    return row;
  }
}

/**
 * Follows the inventory stream and shows every pet's stock and price, loaded with `GET /v1/inventory` once
 * the stream is open (so no change falls between the two) and again after a `reset`. Each applied change
 * also goes to `onChange`. Resolves to the pets as first shown (`undefined` when they could not be loaded),
 * and gives `current()` for the pets as shown now.
 */
export async function mountInventory(
  client: Client,
  pets: readonly Pet[],
  onChange: (change: Change) => void,
): Promise<{ items: readonly InventoryItem[]; current: () => readonly InventoryItem[] } | undefined> {
  const ticker = new InventoryTicker(requireElement('inventory-ticker', HTMLUListElement), pets);
  const note = requireElement('inventory-note', HTMLParagraphElement);
  const badge = stateBadge(requireElement('inventory-state', HTMLOutputElement));
  let first: ((loaded: boolean) => void) | undefined;
  const ready = new Promise<boolean>((resolve) => {
    first = resolve;
  });
  const reload = async () => {
    const { data, error } = await client.GET('/v1/inventory');
    if (error) note.textContent = `The inventory could not be loaded: ${error.detail ?? error.title}`;
    else ticker.load(data.items);
    first?.(error === undefined);
    first = undefined;
  };
  void followStream(client, 'inventoryStream', {}, new AbortController().signal, {
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
