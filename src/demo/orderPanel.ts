import type { Client, OrderComplete, PriceChange, Schemas, StockChange } from '@petstore-sse/client';
import { element, requireElement } from './element.js';
import { followStream } from './followStream.js';
import { formatPrice, formatTime } from './format.js';
import { stateBadge } from './streamState.js';

type InventoryItem = Schemas['InventoryItem'];
type OrderStatus = Schemas['OrderStatus'];

/** Who the demo orders for, signed in with a demo token. */
export const ORDER_USER = 'user-456';

const STEPS: readonly OrderStatus[] = [
  'payment_processing',
  'payment_confirmed',
  'preparing_shipment',
  'shipped',
];
const LABELS: Readonly<Record<OrderStatus, string>> = {
  payment_processing: 'Payment processing',
  payment_confirmed: 'Payment confirmed',
  preparing_shipment: 'Preparing shipment',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
};

/** The timeline of one order: every step pending until its status arrives. */
function renderTimeline(timeline: HTMLOListElement): (status: OrderStatus, timestamp: string) => void {
  const steps = new Map<OrderStatus, HTMLLIElement>();
  timeline.replaceChildren(
    ...STEPS.map((status) => {
      const step = element('li', { 'data-status': status }, element('span', {}, LABELS[status]));
      steps.set(status, step);
      return step;
    }),
  );
  return (status, timestamp) => {
    let step = steps.get(status);
    if (step === undefined) {
      // A cancelled order never ships: its last step becomes "Cancelled".
      step = steps.get('shipped')!;
      step.dataset.status = status;
      step.firstElementChild!.textContent = LABELS[status];
    }
    step.dataset.reached = 'true';
    step.append(element('time', { datetime: timestamp }, formatTime(timestamp)));
  };
}

/** Applies a `stock-change` or `price-change` to the pets on offer. */
export type PetChange = (change: StockChange | PriceChange) => void;

/** The pets in a `<select>`, each labelled with its price and stock and kept current by {@link PetChange}. */
function petOptions(select: HTMLSelectElement, pets: readonly InventoryItem[]): PetChange {
  const shown = new Map(
    pets.map((pet) => [pet.petId, { ...pet, option: element('option', { value: pet.petId }) }]),
  );
  const label = (pet: InventoryItem & { option: HTMLOptionElement }) => {
    pet.option.textContent = `${pet.name} · ${formatPrice(pet.price)} · ${pet.stock} in stock`;
    pet.option.disabled = pet.stock === 0;
  };
  for (const pet of shown.values()) label(pet);
  select.replaceChildren(...[...shown.values()].map((pet) => pet.option));
  select.value = pets.find((pet) => pet.stock > 0)?.petId ?? '';
  return (change) => {
    const pet = shown.get(change.petId);
    if (pet === undefined) return;
    if ('newStock' in change) pet.stock = change.newStock;
    else pet.price = change.newPrice;
    label(pet);
  };
}

/**
 * Places an order for the chosen pet (`POST /v1/orders`, for {@link ORDER_USER}, with the client's token),
 * then follows its status stream to `complete`, marking each step of the timeline as it arrives and showing the tracking number.
 * Placing another order stops following the previous one. Returns what keeps the pets' stock and price
 * current.
 */
export function mountOrders(client: Client, pets: readonly InventoryItem[]): PetChange {
  const form = requireElement('order-form', HTMLFormElement);
  const pet = requireElement('order-pet', HTMLSelectElement);
  const button = requireElement('order-place', HTMLButtonElement);
  const summary = requireElement('order-summary', HTMLParagraphElement);
  const timeline = requireElement('order-timeline', HTMLOListElement);
  const tracking = requireElement('order-tracking', HTMLParagraphElement);
  const showState = stateBadge(requireElement('order-state', HTMLOutputElement));
  const onPetChange = petOptions(pet, pets);
  let current: AbortController | undefined;

  const finish = (complete: OrderComplete) => {
    tracking.textContent =
      complete.status === 'shipped'
        ? `Tracking number: ${complete.trackingNumber}`
        : 'The order was cancelled.';
  };

  const follow = (orderId: string) => {
    current?.abort();
    current = new AbortController();
    let reach = renderTimeline(timeline);
    tracking.textContent = '';
    void followStream(client, 'orderStatusStream', { orderId }, current.signal, {
      showState,
      onMessage: (message) => {
        if (message.event === 'message') reach(message.data.status, message.data.timestamp);
        else if (message.event === 'complete') {
          reach(message.data.status, message.data.timestamp);
          finish(message.data);
        } else if (message.event === 'reset') {
          // The server replays the order's whole history after a reset: start the timeline again.
          reach = renderTimeline(timeline);
        } else tracking.textContent = `The stream failed: ${message.data.message}`;
      },
    });
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    summary.textContent = 'Placing the order…';
    try {
      const body = { petId: pet.value, quantity: 1, userId: ORDER_USER };
      const { data, error } = await client.POST('/v1/orders', { body });
      if (error) {
        summary.textContent =
          error.status === 401
            ? 'Order refused: this server issues no demo tokens (dev mode is off; see README, "Security").'
            : `Order refused: ${error.detail ?? error.title}`;
        return;
      }
      const name = pets.find((item) => item.petId === data.petId)?.name ?? data.petId;
      summary.textContent = `Order ${data.id}: ${name}, ${formatPrice(data.total)}`;
      follow(data.id);
    } catch (error) {
      summary.textContent = `The order could not be sent: ${error instanceof Error ? error.message : error}`;
    } finally {
      button.disabled = false;
    }
  });
  return onPetChange;
}
