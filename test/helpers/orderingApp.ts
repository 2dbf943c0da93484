import type { components } from '../../generated/openapi.js';
import type { Store } from '../../src/store/index.js';
import { type StartAppOptions, type StartedApp, startApp } from './startApp.js';
import { openTestStore } from './testStore.js';

type Order = components['schemas']['Order'];

/** The test app with one pet in ample stock, for tests about `user-456`'s orders. */
export interface OrderingApp {
  readonly app: StartedApp;
  readonly store: Store;
  /** The well-stocked pet every order takes. */
  readonly petId: string;
  /** Places an order of one of that pet for `user-456` through the order service. */
  place(): Promise<Order>;
  close(): Promise<void>;
}

/** Starts {@link OrderingApp} on its own store (`options` go to `startApp`). */
export async function startOrderingApp(options: StartAppOptions = {}): Promise<OrderingApp> {
  const store = await openTestStore();
  const app = await startApp({ ...options, store });
  const petId = (await store.pets.all()).find((pet) => pet.stock >= 5)!.id;
  await app.services.inventory.update(petId, { stock: 1000 });
  return {
    app,
    store,
    petId,
    place: () => app.services.orders.place({ petId, quantity: 1, userId: 'user-456' }),
    async close() {
      await app.close();
      await store.close();
    },
  };
}
