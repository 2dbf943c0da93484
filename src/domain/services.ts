import type { Store } from '../store/index.js';
import { type ChatOptions, type ChatService, createChatService } from './chat/index.js';
import type { EventLog } from './events/index.js';
import { createInventoryService, type InventoryService } from './inventory/index.js';
import { createOrderService, type OrderService } from './orders/index.js';
import { createPetService, type PetService } from './pets/index.js';
import { contentBasedRecommender, type Recommender } from './recommendations/index.js';
import { createStreamTicketService, type StreamTicketService } from './streamTickets/index.js';
import { createUserService, type UserService } from './users/index.js';

/** Every use case of the API, over one store and one event log. */
export interface Services {
  eventLog: EventLog;
  pets: PetService;
  users: UserService;
  inventory: InventoryService;
  orders: OrderService;
  recommender: Recommender;
  chat: ChatService;
  streamTickets: StreamTicketService;
}

/** Seconds a stream ticket is valid unless `streamTicketTtlSeconds` says otherwise. */
export const DEFAULT_STREAM_TICKET_TTL_SECONDS = 30;

/**
 * Wires the services. `recommender` defaults to the built-in content-based model over the store's catalog;
 * `chat` to the built-in pet advisor over the same catalog; `streamTicketTtlSeconds` to
 * {@link DEFAULT_STREAM_TICKET_TTL_SECONDS}.
 */
export function createServices(deps: {
  store: Store;
  eventLog: EventLog;
  recommender?: Recommender;
  chat?: ChatOptions;
  streamTicketTtlSeconds?: number;
}): Services {
  const inventory = createInventoryService({
    eventLog: deps.eventLog,
    list: () => deps.store.inventory.list(),
  });
  const orders = createOrderService({ orders: deps.store.orders, eventLog: deps.eventLog });
  return {
    eventLog: deps.eventLog,
    pets: createPetService(deps.store.pets),
    users: createUserService(deps.store.users),
    inventory,
    orders,
    recommender: deps.recommender ?? contentBasedRecommender(deps.store.pets),
    chat: createChatService(deps.store.pets, deps.chat),
    streamTickets: createStreamTicketService({
      tickets: deps.store.streamTickets,
      orders,
      ttlSeconds: deps.streamTicketTtlSeconds ?? DEFAULT_STREAM_TICKET_TTL_SECONDS,
    }),
  };
}
