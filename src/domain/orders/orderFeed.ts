import type { OrderStatusStreamEvents } from '../../../generated/events.js';
import type { components } from '../../../generated/openapi.js';
import type { EntryListener, EventLog, LogEntry, ResumeOutcome, Subscription } from '../../bus/index.js';
import type { PushSource, PushTarget, StreamMessage } from '../../sse/index.js';
import { type OrderLogEntry, orderTopic, statusMessage } from './orderEvents.js';

type Order = components['schemas']['Order'];
type OrderMessage = StreamMessage<OrderStatusStreamEvents>;

/** Finished (answer 204), or the messages and how they start: `live`, `replayed` after the id, or `reset`. */
export type OrderFeed =
  | { kind: 'finished' }
  | { kind: 'stream'; resume: ResumeOutcome['kind']; messages: PushSource<OrderStatusStreamEvents> };

const FINAL = new Set(['shipped', 'cancelled']);

/** Reads `afterId` as a position in the history; `undefined` when it is not one this order has issued. */
function positionOf(afterId: string | undefined, order: Order): number | undefined {
  if (afterId === undefined) return 0;
  if (!/^(0|[1-9][0-9]{0,5})$/.test(afterId)) return undefined;
  const seq = Number(afterId);
  return seq <= order.history.length ? seq : undefined;
}

/**
 * An order's status feed as a pushed source: the reset (if any) and the history after the resume position at
 * once, then each status change from the order's log topic with a position past the last one sent, until
 * `complete`. One object per stream: it is both the source and the listener of its log subscription.
 */
class OrderPush implements PushSource<OrderStatusStreamEvents>, EntryListener {
  readonly #subscription: Subscription;
  readonly #order: Order;
  readonly #reset: OrderMessage | undefined;
  #last: number;
  #target: PushTarget<OrderStatusStreamEvents> | undefined;

  constructor(subscription: Subscription, order: Order, after: number, reset: OrderMessage | undefined) {
    this.#subscription = subscription;
    this.#order = order;
    this.#last = after;
    this.#reset = reset;
  }

  listen(target: PushTarget<OrderStatusStreamEvents>): void {
    this.#target = target;
    const order = this.#order;
    const replay: OrderMessage[] = this.#reset ? [this.#reset] : [];
    for (const [index, change] of order.history.entries()) {
      const seq = index + 1;
      if (seq <= this.#last) continue;
      this.#last = seq;
      replay.push(statusMessage(order, change, seq));
    }
    if (replay.length > 0) target.messages(replay);
    if (FINAL.has(order.status)) this.#finish();
    else this.#subscription.listen(this);
  }

  close(): void {
    this.#subscription.close();
  }

  entries(batch: readonly LogEntry[]): void {
    const fresh: OrderMessage[] = [];
    let complete = false;
    for (const entry of batch) {
      const { seq, message } = entry.data as OrderLogEntry;
      if (seq <= this.#last || complete) continue;
      this.#last = seq;
      fresh.push(message);
      complete = message.event === 'complete';
    }
    if (fresh.length > 0) this.#target?.messages(fresh);
    if (complete) this.#finish();
  }

  ended(error?: Error): void {
    this.#target?.end(error);
  }

  /** The order reached its last status: nothing more will come. */
  #finish(): void {
    this.#subscription.close();
    this.#target?.end();
  }
}

/**
 * Opens an order's status feed: the history after `afterId` (read from the database), then live changes from
 * the order's log topic, each once, until `complete`. It subscribes before reading the history, so a change
 * committed in between is not lost (it is skipped by position if the history already had it). An order
 * that already completed and is resumed from its last id is `finished` (answer 204). An id this order never
 * issued gets `reset` (id 0), then the whole history.
 */
export async function openOrderFeed(
  deps: { eventLog: EventLog; getOrder: (id: string) => Promise<Order> },
  options: { orderId: string; afterId: string | undefined; signal: AbortSignal },
): Promise<OrderFeed> {
  const subscription = await deps.eventLog.subscribe(orderTopic(options.orderId), { signal: options.signal });
  const order = await deps.getOrder(options.orderId);
  const position = positionOf(options.afterId, order);
  if (position !== undefined && position === order.history.length && FINAL.has(order.status))
    return { kind: 'finished' };
  const reset: OrderMessage | undefined =
    position === undefined
      ? {
          event: 'reset',
          id: '0',
          data: {
            reason: 'unknown_id',
            lastEventId: options.afterId ?? '',
            detail: `Order ${options.orderId} has no event ${options.afterId}; its whole status history follows.`,
          },
        }
      : undefined;
  const resume = options.afterId === undefined ? 'live' : reset ? 'reset' : 'replayed';
  return { kind: 'stream', resume, messages: new OrderPush(subscription, order, position ?? 0, reset) };
}
