import type { Client } from '@petstore-sse/client';
import { element } from '../demo/element.js';
import type { ConsoleLog } from './ConsoleLog.js';
import type { OpenStream } from './StreamConsole.js';

/** The channels that have a console: the streams opened with `GET`, which resume with `Last-Event-ID`. */
export type ConsoleChannel = 'recommendationsStream' | 'orderStatusStream' | 'inventoryStream';

/** Who places the console's orders and opens their status streams, with a dev token. */
export const CONSOLE_USER = 'user-456';

/** The clients a console uses: one that sends no token, and one signed in as {@link CONSOLE_USER}. */
export interface ConsoleClients {
  readonly anonymous: Client;
  readonly signedIn: Client;
}

/** What differs between the channels' consoles: their parameters and who may open them. */
export interface ChannelSetup {
  /** How the stream is authenticated, as the page says it. */
  readonly access: string;
  /** Adds the channel's parameter inputs to `fieldset`; returns what opens the stream with their values. */
  mount(fieldset: HTMLFieldSetElement, clients: ConsoleClients, log: ConsoleLog): OpenStream;
}

const field = (label: string, control: HTMLElement, hint = '') =>
  element('label', {}, label, control, ...(hint ? [element('small', {}, hint)] : []));

/** The seeded users, each with what the recommender ranks for them. */
const USERS = [
  ['user-456', 'Alex Rivera (calm cats)'],
  ['user-123', 'Jordan Lee (family dogs)'],
  ['user-789', 'Sam Patel (birds and fish)'],
  ['user-321', 'Priya Nair (small pets)'],
  ['user-654', 'Morgan Blake (reptiles)'],
  ['user-999', 'Taylor Quinn (no preferences)'],
] as const;

const recommendations: ChannelSetup = {
  access: 'Public: no token.',
  mount(fieldset, { anonymous }) {
    const user = element(
      'select',
      { id: 'param-userId', name: 'userId' },
      ...USERS.map(([id, who]) => element('option', { value: id }, `${id} · ${who}`)),
    );
    const limit = element('input', {
      id: 'param-limit',
      name: 'limit',
      type: 'number',
      min: '1',
      max: '50',
      placeholder: '10',
    });
    fieldset.append(field('userId', user), field('limit', limit, 'optional, 1–50'));
    return (options) => {
      const params = limit.value
        ? { userId: user.value, limit: Number(limit.value) }
        : { userId: user.value };
      return anonymous.subscribe('recommendationsStream', params, options);
    };
  },
};

/** Places an order of one pet in stock for {@link CONSOLE_USER}; returns its id, or logs why not. */
async function placeOrder(client: Client, log: ConsoleLog): Promise<string | undefined> {
  const { data: inventory } = await client.GET('/v1/inventory');
  const pet = inventory?.items.find((item) => item.stock > 0);
  if (pet === undefined) {
    log.note('No pet is in stock: nothing to order.');
    return undefined;
  }
  const body = { petId: pet.petId, quantity: 1, userId: CONSOLE_USER };
  const { data, error } = await client.POST('/v1/orders', { body });
  if (error) {
    log.note(`The order was refused: ${error.detail ?? error.title}`);
    return undefined;
  }
  log.note(`Placed order ${data.id} (${pet.name}) for ${CONSOLE_USER}.`);
  return data.id;
}

const orderStatus: ChannelSetup = {
  access:
    `An order's stream is its owner's: the console asks POST /v1/dev/tokens for a dev token of ` +
    `${CONSOLE_USER} (dev mode only) and sends it as Authorization: Bearer.`,
  mount(fieldset, { signedIn }, log) {
    const orderId = element('input', {
      id: 'param-orderId',
      name: 'orderId',
      required: '',
      size: '38',
      placeholder: 'an order of user-456',
    });
    const place = element(
      'button',
      { type: 'button', id: 'place-order' },
      `Place an order as ${CONSOLE_USER}`,
    );
    place.addEventListener('click', async () => {
      place.disabled = true;
      try {
        const id = await placeOrder(signedIn, log);
        if (id) orderId.value = id;
      } finally {
        place.disabled = false;
      }
    });
    fieldset.append(field('orderId', orderId), place);
    return (options) => signedIn.subscribe('orderStatusStream', { orderId: orderId.value.trim() }, options);
  },
};

const inventory: ChannelSetup = {
  access: 'Public: no token.',
  mount(fieldset, { anonymous }) {
    const pet = element(
      'select',
      { id: 'param-petId', name: 'petId' },
      element('option', { value: '' }, 'every pet'),
    );
    void anonymous.GET('/v1/inventory').then(({ data }) => {
      for (const item of data?.items ?? []) pet.append(element('option', { value: item.petId }, item.name));
    });
    fieldset.append(field('petId', pet, 'optional: one pet’s changes only'));
    return (options) =>
      anonymous.subscribe('inventoryStream', pet.value ? { petId: pet.value } : {}, options);
  },
};

/** Every console's setup, by channel. */
export const CHANNEL_SETUPS: Readonly<Record<ConsoleChannel, ChannelSetup>> = {
  recommendationsStream: recommendations,
  orderStatusStream: orderStatus,
  inventoryStream: inventory,
};

export const isConsoleChannel = (value: string | undefined): value is ConsoleChannel =>
  value !== undefined && Object.hasOwn(CHANNEL_SETUPS, value);
