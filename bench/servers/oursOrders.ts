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
 * publishing `stock-change` and `payment_processing`), once, and followed again in every repetition: they
 * stay `payment_processing` in the database, so each new stream replays that status from the history and then
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
      const ids = orderIds.slice(0, count);
      if (!deps.auth) return { orderIds: ids };
      const issue = deps.auth.issueDevToken;
      if (!issue) throw new Error('the bench app needs dev tokens to open order streams');
      const { accessToken } = await issue(OWNER, 3600);
      return { orderIds: ids, headers: { Authorization: `Bearer ${accessToken}` } };
    },

    publish(index: number, status: LiveStatus): void {
      const orderId = orderIds[index]!;
      const seq = LIVE_STATUSES.indexOf(status) + 2;
      const change = { status, timestamp: microTimestamp(nowMs()) };
      const log = deps.eventLog;
      if ('write' in log) {
        // The outbox: the status is committed on the order's stream, which numbers it.
        const event = deps.orderEvents.statusEvent({ trackingNumber: trackingNumber(index) }, change);
        void log.append({ name: `order:${orderId}`, live: true }, event as never);
        return;
      }
      // biome-ignore lint/suspicious/noExplicitAny: an older tree's order events module
      const legacy = deps.orderEvents as any;
      const message = legacy.statusMessage({ trackingNumber: trackingNumber(index) }, change, seq);
      void log.append(legacy.orderTopic(orderId), 'status', { seq, message });
    },
  };
}
