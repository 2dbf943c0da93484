import type { components } from '../../../generated/openapi.js';
import { type AdvanceStatus, nextStatus, type OrdersRepository } from '../../store/index.js';
import type { OrderService } from './orderService.js';

type Order = components['schemas']['Order'];

export interface Fulfilment {
  /** Orders waiting for their next step. */
  readonly pending: number;
  /** Stops every timer; orders left unfinished resume at the next start. */
  close(): void;
}

export interface FulfilmentDeps {
  service: OrderService;
  orders: OrdersRepository;
  /** Time between two statuses (ORDER_STEP_MS). */
  stepMs: number;
  onError: (error: unknown, orderId: string) => void;
}

/**
 * The fulfilment worker: moves every order through payment_processing → payment_confirmed →
 * preparing_shipment → shipped, `stepMs` apart (shipped gets a tracking number). It picks up unfinished
 * orders at start and every `stepMs` after (left by a previous run or by an instance that died), timing their
 * next step from their last status change. With several instances each may try a step; the store lets
 * exactly one advance the order and the others' attempts are refused as conflicts, like a cancellation.
 */
export async function startFulfilment(deps: FulfilmentDeps): Promise<Fulfilment> {
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  const step = (orderId: string, next: AdvanceStatus) => {
    timers.delete(orderId);
    deps.service.advance(orderId, next).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'conflict') return;
      deps.onError(error, orderId);
    });
  };

  const schedule = (order: Order) => {
    clearTimeout(timers.get(order.id));
    timers.delete(order.id);
    const next = nextStatus(order.status);
    if (closed || next === undefined) return;
    const last = Date.parse(order.history[order.history.length - 1]!.timestamp);
    const delay = Math.max(0, deps.stepMs - (Date.now() - last));
    timers.set(order.id, setTimeout(step, delay, order.id, next));
  };

  const scan = async () => {
    for (const order of await deps.orders.listUnfinished()) if (!timers.has(order.id)) schedule(order);
  };

  deps.service.onChange = schedule;
  await scan();
  // Another instance may have placed an order and died before moving it on: look again every step.
  const rescan = setInterval(
    () => {
      scan().catch((error: unknown) => deps.onError(error, '*'));
    },
    Math.max(deps.stepMs, 250),
  );
  rescan.unref();

  return {
    get pending() {
      return timers.size;
    },
    close() {
      closed = true;
      clearInterval(rescan);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
