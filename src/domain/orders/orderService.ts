import type { components } from '../../../generated/openapi.js';
import type { AdvanceStatus, OrdersRepository, OrderWithStock } from '../../store/index.js';
import { notFound } from '../DomainError.js';
import { type EventLog, orderTopic, type Publish } from '../events/index.js';
import { publishStockChange } from '../inventory/index.js';
import { latestEvent } from './orderEvents.js';

type Order = components['schemas']['Order'];
type OrderCreate = components['schemas']['OrderCreate'];

/**
 * Orders: placing, reading, cancelling and advancing them. Each change commits with its events (the order's
 * status on its own stream, the stock movement on the inventory stream) in one transaction.
 */
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
  eventLog: EventLog;
}

/** Publishes what an order change that moved stock reports (its `stock-change`, then the order's status); returns the order. */
function publishStockMove(publish: Publish, { order, stockChange }: OrderWithStock, now: Date): Order {
  publishStockChange(publish, stockChange, now);
  publish(orderTopic(order.id), latestEvent(order));
  return order;
}

export function createOrderService(deps: OrderServiceDeps): OrderService {
  const changed = (order: Order): Order => {
    service.onChange?.(order);
    return order;
  };

  const service: OrderService = {
    place: (input) =>
      deps.eventLog
        .write(
          async (tx, publish) => {
            const now = new Date();
            return publishStockMove(publish, await tx.orders.create(input, { now }), now);
          },
          { lockKey: `pet:${input.petId}` },
        )
        .then(changed),

    async get(orderId, ownerId) {
      const order = await deps.orders.get(orderId);
      if (!order || (ownerId !== undefined && order.userId !== ownerId)) throw notFound('order', orderId);
      return order;
    },

    cancel: async (orderId, ownerId) => {
      if (ownerId !== undefined) await service.get(orderId, ownerId);
      const order = await deps.eventLog.write(
        async (tx, publish) => {
          const now = new Date();
          return publishStockMove(publish, await tx.orders.cancel(orderId, { now }), now);
        },
        { lockKey: `order:${orderId}` },
      );
      return changed(order);
    },

    advance: (orderId, next) =>
      deps.eventLog
        .write(
          async (tx, publish) => {
            const order = await tx.orders.advance(orderId, next, { now: new Date() });
            publish(orderTopic(order.id), latestEvent(order));
            return order;
          },
          { lockKey: `order:${orderId}` },
        )
        .then(changed),
  };
  return service;
}
