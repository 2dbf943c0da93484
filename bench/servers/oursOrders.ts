import { microTimestamp, nowMs } from '../clock.js';
import { LIVE_STATUSES, type LiveStatus, trackingNumber } from '../orderPayload.js';
import type { OrderStatusSource, PreparedOrders } from './BenchServer.js';

type Services = import('../../src/domain/index.js').Services;
type EventLog = import('../../src/domain/index.js').EventLog | import('./ours.js').LegacyEventLog;
type OrderEvents = typeof import('../../src/domain/orders/orderEvents.js');
type Auth = import('../../src/http/auth/index.js').Auth;

/** The user every bench order belongs to; its streams carry a demo access token of this user. */
const OWNER = 'user-456';

/**
 * W3 for our app. The orders are placed through the order service (a store transaction each, taking stock and
 * publishing `stock-change` and `payment_processing`), all at start, each repetition following orders of its
 * own (`prepare` hands them out in turn): each stream replays `payment_processing` from the history and then
 * follows the order's event log topic. Each live status is appended to that topic as the order service does
 * after its store transaction (`advance`), with the domain's own frame (`statusMessage`); the transaction
 * itself is left out, see RESULTS.md for why.
 */
export function oursOrderStatuses(deps: {
  services: Services;
  eventLog: EventLog;
  orderEvents: OrderEvents;
  auth: Auth | undefined;
}): OrderStatusSource {
  const orderIds: string[] = [];
  let next = 0;
  /** The orders the last `prepare` handed out: what `publish(index, …)` numbers. */
  let following: string[] = [];
  return {
    async prepare(count: number): Promise<PreparedOrders> {
      if (orderIds.length < count) {
        const [pet] = await deps.services.inventory.list();
        if (!pet) throw new Error('the seeded catalog is empty');
        await deps.services.inventory.update(pet.petId, { stock: count - orderIds.length });
        for (let placed = orderIds.length; placed < count; placed += 50) {
          const batch = Array.from({ length: Math.min(50, count - placed) }, () =>
            deps.services.orders.place({ petId: pet.petId, quantity: 1, userId: OWNER }),
          );
          for (const order of await Promise.all(batch)) orderIds.push(order.id);
        }
      }
      // Orders not followed before, in turn (from the first again when they run out): a followed order's
      // statuses are in its outbox stream, so once they reached `shipped` its next stream is already finished.
      const start = next + count <= orderIds.length ? next : 0;
      const ids = orderIds.slice(start, start + count);
      next = start + count;
      following = ids;
      if (!deps.auth) return { orderIds: ids };
      const issue = deps.auth.issueDevToken;
      if (!issue) throw new Error('the bench app needs dev tokens to open order streams');
      const { accessToken } = await issue(OWNER, 3600);
      return { orderIds: ids, headers: { Authorization: `Bearer ${accessToken}` } };
    },

    publish(index: number, status: LiveStatus): void {
      const orderId = following[index]!;
      const seq = LIVE_STATUSES.indexOf(status) + 2;
      const change = { status, timestamp: microTimestamp(nowMs()) };
      const log = deps.eventLog;
      if ('write' in log) {
        // The outbox: the status is committed on the order's stream, which numbers it, in a write as
        // `orderService.advance` makes it (so with the group commit of the statuses written meanwhile), less
        // the order row's own update.
        const event = deps.orderEvents.statusEvent({ trackingNumber: trackingNumber(index) }, change);
        void log.write(
          async (_tx, publish) => publish({ name: `order:${orderId}`, live: true }, event as never),
          {
            lockKey: `order:${orderId}`,
          },
        );
        return;
      }
      // biome-ignore lint/suspicious/noExplicitAny: an older tree's order events module
      const legacy = deps.orderEvents as any;
      const message = legacy.statusMessage({ trackingNumber: trackingNumber(index) }, change, seq);
      void log.append(legacy.orderTopic(orderId), 'status', { seq, message });
    },
  };
}
