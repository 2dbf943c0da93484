import type { InventoryStreamEvents } from '../../../generated/events.js';
import { type EventLog, INVENTORY_TOPIC, type LogFeed, openLogFeed } from '../events/index.js';

export interface InventoryFeedOptions {
  /** The client's Last-Event-ID, if it resumes. */
  resumeId?: string | undefined;
  /** Only changes of this pet. */
  petId?: string | undefined;
  /** Ends the subscription when aborted. Default: none; close `messages` instead. */
  signal?: AbortSignal | undefined;
}

/** An opened inventory feed: how it started, the id it starts at, and its messages. */
export type InventoryFeed = LogFeed<InventoryStreamEvents>;

const AFTER_RESET = 'Refetch GET /v1/inventory, then follow the live events.';

/**
 * Opens the inventory feed: the changes after the resume id from the database (or `reset` when they cannot
 * be replayed), then live changes, each once, in commit order. Subscribing happens before this resolves, so a
 * failing event log is reported before any stream bytes.
 */
export function openInventoryFeed(log: EventLog, options: InventoryFeedOptions): Promise<InventoryFeed> {
  const petId = options.petId;
  return openLogFeed<InventoryStreamEvents>(log, INVENTORY_TOPIC, options.resumeId, {
    signal: options.signal,
    afterReset: AFTER_RESET,
    accept:
      petId === undefined
        ? undefined
        : (entry) => (entry.data as { petId?: unknown } | null)?.petId === petId,
  });
}
