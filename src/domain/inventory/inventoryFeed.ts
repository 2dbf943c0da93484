import type { InventoryStreamEvents } from '../../../generated/events.js';
import type { EventLog, LogEntry, ResumeOutcome, Subscription } from '../../bus/index.js';
import type { StreamMessage } from '../../sse/index.js';

/** The event log topic of inventory changes. */
export const INVENTORY_TOPIC = 'inventory';

type InventoryMessage = StreamMessage<InventoryStreamEvents>;
type ChangeEvent = 'stock-change' | 'price-change';

export interface InventoryFeedOptions {
  /** Resume after this id (from Last-Event-ID). */
  afterId?: string | undefined;
  /** Only changes of this pet. */
  petId?: string | undefined;
  signal: AbortSignal;
}

function resetMessage(subscription: Subscription, afterId: string): InventoryMessage | undefined {
  const resume = subscription.resume;
  if (resume.kind !== 'reset') return undefined;
  const detail =
    resume.reason === 'expired_id'
      ? `Events after ${afterId} are no longer held; refetch GET /v1/inventory, then follow the live events.`
      : `No event ${afterId} was ever sent on this stream; refetch GET /v1/inventory, then follow the live events.`;
  return {
    event: 'reset',
    id: resume.headId || '0',
    data: { reason: resume.reason, lastEventId: afterId, detail },
  };
}

function matches(entry: LogEntry, petId: string | undefined): boolean {
  return petId === undefined || (entry.data as { petId?: unknown }).petId === petId;
}

async function* messages(
  subscription: Subscription,
  options: InventoryFeedOptions,
): AsyncGenerator<InventoryMessage> {
  const reset = options.afterId === undefined ? undefined : resetMessage(subscription, options.afterId);
  if (reset) yield reset;
  for await (const entry of subscription.entries) {
    if (!matches(entry, options.petId)) continue;
    yield {
      event: entry.event as ChangeEvent,
      data: entry.data as InventoryStreamEvents[ChangeEvent],
      id: entry.id,
    } as InventoryMessage;
  }
}

/** An opened inventory feed: how it started (`live`, `replayed` after the id, or `reset`) and its messages. */
export interface InventoryFeed {
  resume: ResumeOutcome['kind'];
  messages: AsyncIterable<InventoryMessage>;
}

/**
 * Opens the inventory feed: the changes after `afterId` (or `reset` when that id is not held), then live
 * changes, each once, in commit order. Subscribing happens before this resolves, so a failing event log is
 * reported before any stream bytes.
 */
export async function openInventoryFeed(
  log: EventLog,
  options: InventoryFeedOptions,
): Promise<InventoryFeed> {
  const subscription = await log.subscribe(INVENTORY_TOPIC, {
    afterId: options.afterId,
    signal: options.signal,
  });
  // A resume with nothing missed is still a resume honoured: `replayed`, with zero events.
  const resume =
    options.afterId === undefined ? 'live' : subscription.resume.kind === 'reset' ? 'reset' : 'replayed';
  return { resume, messages: messages(subscription, options) };
}
