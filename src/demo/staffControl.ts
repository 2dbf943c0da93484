import type { Client, Schemas } from '@petstore-sse/client';
import { element, requireElement } from './element.js';
import { formatPrice } from './format.js';
import { INVENTORY_WRITE, type StaffTokenOutcome } from './staffToken.js';

type InventoryItem = Schemas['InventoryItem'];

/** What the page says about the staff role, by what the server answered to the token request. */
export const STAFF_NOTES: Readonly<Record<StaffTokenOutcome, string>> = {
  issued: `Signed in as staff with a dev token of scope ${INVENTORY_WRITE} (dev mode).`,
  'no-roles': `This server has no staff role yet (it refused scope ${INVENTORY_WRITE}): anyone may change a price.`,
  unavailable: `This server issues no dev tokens: a price change needs a staff token (scope ${INVENTORY_WRITE}).`,
};

/**
 * The staff control: a pet and its new price, sent as `PATCH /v1/inventory/{petId}` by `staff` (a client
 * whose token is a staff token). The ticker shows the change when its `price-change` streams in, not from
 * this answer. `current` gives the pets as the ticker shows them now.
 */
export function mountStaffControl(staff: Client, current: () => readonly InventoryItem[]): void {
  const form = requireElement('staff-form', HTMLFormElement);
  const pet = requireElement('staff-pet', HTMLSelectElement);
  const price = requireElement('staff-price', HTMLInputElement);
  const button = requireElement('staff-submit', HTMLButtonElement);
  const result = requireElement('staff-result', HTMLParagraphElement);
  const chosen = () => current().find((item) => item.petId === pet.value);
  pet.replaceChildren(...current().map((item) => element('option', { value: item.petId }, item.name)));
  const showPrice = () => {
    price.value = String(chosen()?.price ?? '');
  };
  pet.addEventListener('change', showPrice);
  showPrice();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    result.textContent = 'Changing the price…';
    try {
      const newPrice = Number(price.value);
      const { error } = await staff.PATCH('/v1/inventory/{petId}', {
        params: { path: { petId: pet.value } },
        body: { price: newPrice },
      });
      if (error === undefined)
        result.textContent = `${chosen()?.name ?? 'The pet'} now costs ${formatPrice(newPrice)}.`;
      else if (error.status === 401 || error.status === 403)
        result.textContent = `Refused (${error.status}): a price change needs a staff token (${INVENTORY_WRITE}).`;
      else result.textContent = `Refused: ${error.detail ?? error.title}`;
    } catch (error) {
      result.textContent = `The change could not be sent: ${error instanceof Error ? error.message : error}`;
    } finally {
      button.disabled = false;
    }
  });
}
