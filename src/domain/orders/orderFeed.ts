import type { OrderStatusStreamEvents } from '../../../generated/events.js';
import type { components } from '../../../generated/openapi.js';
import type { EntryListener, LogEntry, Subscription } from '../../bus/index.js';
import type { PushSource, PushTarget, StreamMessage } from '../../sse/index.js';
import { decideResume, type EventLog, orderTopic, resetMessage, resumeOutcome } from '../events/index.js';
import { statusEvent } from './orderEvents.js';

type Order = components['schemas']['Order'];
type OrderMessage = StreamMessage<OrderStatusStreamEvents>;

/** Finished (answer 204), or the messages and how they start: `live`, `replayed` after the id, or `reset`. */
export type OrderFeed =
  | { kind: 'finished' }
  | { kind: 'stream'; resume: 'live' | 'replayed' | 'reset'; messages: PushSource<OrderStatusStreamEvents> };

const FINAL = new Set(['shipped', 'cancelled']);
const POSITION = /^(0|[1-9][0-9]{0,5})$/;

/**
 * An order's status feed as a pushed source: the reset (if any) and the history after the resume position at
 * once, from the order itself, then each status change from the order's stream until `complete`. The id of
 * the n-th status is `n` (its position on the order's stream). One object per stream: it is both the source
 * and the listener of its log subscription.
 */
class OrderPush implements PushSource<OrderStatusStreamEvents>, EntryListener {
  readonly #subscription: Subscription;
  readonly #first: OrderMessage[];
  readonly #finished: boolean;
  #target: PushTarget<OrderStatusStreamEvents> | undefined;

  constructor(subscription: Subscription, first: OrderMessage[], finished: boolean) {
    this.#subscription = subscription;
    this.#first = first;
    this.#finished = finished;
  }

  listen(target: PushTarget<OrderStatusStreamEvents>): void {
    this.#target = target;
    if (this.#first.length > 0) target.messages(this.#first);
    if (this.#finished) this.#finish();
    else this.#subscription.listen(this);
  }

  close(): void {
    this.#subscription.close();
  }

  entries(batch: readonly LogEntry[]): void {
    const fresh: OrderMessage[] = [];
    let complete = false;
    for (const entry of batch) {
      // The entry is the order's status event; its frame is checked against the schema when written.
      fresh.push({ event: entry.event, data: entry.data, id: String(entry.seq) } as OrderMessage);
      if (entry.event === 'complete') {
        complete = true;
        break;
      }
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
 * Opens an order's status feed: the history after the resume id (read from the order), then live changes
 * from the order's stream after the position read, each once, until `complete`. An order that already
 * completed and is resumed from its last id is `finished` (answer 204). An id this order never issued gets
 * `reset` (id 0), then the whole history.
 */
export async function openOrderFeed(
  deps: { eventLog: EventLog; getOrder: (id: string) => Promise<Order> },
  options: { orderId: string; resumeId: string | undefined; signal: AbortSignal },
): Promise<OrderFeed> {
  const order = await deps.getOrder(options.orderId);
  const head = order.history.length;
  const finished = FINAL.has(order.status);
  const { resumeId } = options;
  const cursor =
    resumeId !== undefined && POSITION.test(resumeId) ? { position: Number(resumeId) } : undefined;
  const decision = decideResume(resumeId, cursor, { head, oldest: head > 0 ? 1 : undefined, finished });
  if (decision.kind === 'finished') return { kind: 'finished' };
  const first: OrderMessage[] = [];
  let after = 0;
  if (decision.kind === 'reset' && resumeId !== undefined) {
    const then = `Order ${options.orderId}'s whole status history follows.`;
    first.push(resetMessage(decision.reason, resumeId, '0', then));
  } else if (decision.kind === 'replay') after = decision.after;
  for (const [index, change] of order.history.entries()) {
    if (index + 1 > after)
      first.push({ ...statusEvent(order, change), id: String(index + 1) } as OrderMessage);
  }
  const subscription = await deps.eventLog.follow(orderTopic(options.orderId), head, options.signal);
  return {
    kind: 'stream',
    resume: resumeOutcome(decision) as 'live' | 'replayed' | 'reset',
    messages: new OrderPush(subscription, first, finished),
  };
}
