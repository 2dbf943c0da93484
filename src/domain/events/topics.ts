import type { InventoryStreamEvents, OrderStatusStreamEvents } from '../../../generated/events.js';
import type { Recommendation } from '../../../generated/models.js';
import type { EventMap } from '../../sse/index.js';

/**
 * A stream of the event log and what may be published on it: `E` maps each event name to its payload type, so
 * a wrong name or payload is a compile error where it is published.
 */
export interface Topic<E extends EventMap> {
  readonly name: string;
  /** Carried live to followers (in this process, or across instances through Redis) after each commit. */
  readonly live: boolean;
  /** Only for the type: the events of the topic. */
  readonly events?: E;
}

/** One event to publish on a topic of event map `E`: a declared name and its payload (the log gives the id). */
export type Publication<E extends EventMap> = {
  [K in keyof E & string]: { readonly event: K; readonly data: E[K] };
}[keyof E & string];

/** What producers publish on the inventory stream: the changes, never the server's own control frames. */
export type InventoryChanges = Pick<InventoryStreamEvents, 'stock-change' | 'price-change'>;

/** The inventory stream: every stock and price change of the catalog. */
export const INVENTORY_TOPIC: Topic<InventoryChanges> = { name: 'inventory', live: true };

/** What an order's stream carries: each status change (unnamed), and `complete` for the last one. */
export type OrderStatusChanges = Pick<OrderStatusStreamEvents, 'message' | 'complete'>;

/** One order's status changes; position n is the order's n-th status. */
export const orderTopic = (orderId: string): Topic<OrderStatusChanges> => ({
  name: `order:${orderId}`,
  live: true,
});

/** What a recommendation run keeps: who it is for, each recommendation sent, and that it completed. */
export type RecommendationRunEvents = {
  start: { userId: string; limit: number };
  recommendation: Recommendation;
  complete: { total: number };
};

/** One recommendation run, kept so that a resumed stream continues it; read back only, never followed live. */
export const recommendationRunTopic = (runId: string): Topic<RecommendationRunEvents> => ({
  name: `recommendations:${runId}`,
  live: false,
});

/** The topic name prefixes carried live, for the relay's catch-up. */
export const LIVE_TOPIC_PREFIXES = ['inventory', 'order:'] as const;
