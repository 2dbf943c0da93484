import type { PriceChange, Schemas, StockChange } from '@petstore-sse/client';
import { element } from './element.js';
import { formatPrice, formatTime } from './format.js';
import { petPicture } from './petPicture.js';

type InventoryItem = Schemas['InventoryItem'];
type Pet = Schemas['Pet'];
/** A change the ticker applies. */
export type InventoryChange = StockChange | PriceChange;

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
export class InventoryTicker {
  readonly #list: HTMLUListElement;
  readonly #pets: ReadonlyMap<string, Pet>;
  readonly #rows = new Map<string, Row>();
  /** Changes received before the list was loaded; `undefined` once it is. */
  #held: InventoryChange[] | undefined = [];

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
  apply(change: InventoryChange): boolean {
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
