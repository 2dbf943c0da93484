import type { components } from '../../../generated/openapi.js';
import type { EventLog } from '../../bus/index.js';
import type { AdvanceStatus, OrdersRepository } from '../../store/index.js';
import { notFound } from '../DomainError.js';
import type { InventoryService } from '../inventory/index.js';
import { INVENTORY_LOCK, INVENTORY_TOPIC } from '../inventory/index.js';
import type { Lock } from '../Lock.js';
import { latestEntry, orderTopic } from './orderEvents.js';

type Order = components['schemas']['Order'];
type OrderCreate = components['schemas']['OrderCreate'];

/** Orders: placing, reading, cancelling and advancing them, each change published to the order's topic. */
export interface OrderService {
  /** Takes the stock atomically (publishing `stock-change`) and records `payment_processing`. */
  place(input: OrderCreate): Promise<Order>;
  /**
   * The order. With `ownerId`, an order of another user is not found either (the same `not_found` error as an
   * unknown id, so its existence is not revealed).
   */
  get(orderId: string, ownerId?: string): Promise<Order>;
  /**
   * Cancels an order before it ships and returns its stock (publishing `stock-change`). With `ownerId`, only
   * that user's order: another user's is not found.
   */
  cancel(orderId: string, ownerId?: string): Promise<Order>;
  /** Moves an order one step along its flow (the fulfilment worker calls this). */
  advance(orderId: string, next: AdvanceStatus): Promise<Order>;
  /** Called after every change, e.g. so fulfilment can schedule the next step. */
  onChange?: (order: Order) => void;
}

export interface OrderServiceDeps {
  orders: OrdersRepository;
  inventory: InventoryService;
  eventLog: EventLog;
  lock: Lock;
}

export function createOrderService(deps: OrderServiceDeps): OrderService {
  const publish = (order: Order) => deps.eventLog.append(orderTopic(order.id), 'status', latestEntry(order));

  const service: OrderService = {
    place: (input) =>
      deps.lock(INVENTORY_LOCK, async () => {
        await deps.eventLog.head(INVENTORY_TOPIC);
        const now = new Date();
        const { order, stockChange } = await deps.orders.create(input, { now });
        await deps.inventory.publishStockChange(stockChange, now);
        await publish(order);
        service.onChange?.(order);
        return order;
      }),

    async get(orderId, ownerId) {
      const order = await deps.orders.get(orderId);
      if (!order || (ownerId !== undefined && order.userId !== ownerId)) throw notFound('order', orderId);
      return order;
    },

    cancel: async (orderId, ownerId) => {
      if (ownerId !== undefined) await service.get(orderId, ownerId);
      return deps.lock(INVENTORY_LOCK, async () => {
        await deps.eventLog.head(INVENTORY_TOPIC);
        const now = new Date();
        const { order, stockChange } = await deps.orders.cancel(orderId, { now });
        await deps.inventory.publishStockChange(stockChange, now);
        await publish(order);
        service.onChange?.(order);
        return order;
      });
    },

    advance: (orderId, next) =>
      deps.lock(INVENTORY_LOCK, async () => {
        const order = await deps.orders.advance(orderId, next, { now: new Date() });
        await publish(order);
        service.onChange?.(order);
        return order;
      }),
  };
  return service;
}
