import type { InventoryStreamEvents } from '../../../generated/events.js';
import type { EntryListener, EventLog, LogEntry, ResumeOutcome, Subscription } from '../../bus/index.js';
import type { PushSource, PushTarget, StreamMessage } from '../../sse/index.js';

/** The event log topic of inventory changes. */
export const INVENTORY_TOPIC = 'inventory';

type InventoryMessage = StreamMessage<InventoryStreamEvents>;

export interface InventoryFeedOptions {
  /** Resume after this id (from Last-Event-ID). */
  afterId?: string | undefined;
  /** Only changes of this pet. */
  petId?: string | undefined;
  /** Ends the subscription when aborted. Default: none; close `messages` instead. */
  signal?: AbortSignal | undefined;
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

/**
 * The inventory feed as a pushed source: the reset (if any), then the log's batches passed on as messages. An
 * inventory entry is already shaped as its message (`id`, `event`, `data`), so an unfiltered batch goes on as
 * the same array every subscriber gets, and is encoded once for all of them; the stream validates every frame,
 * so an entry that is not a declared event is never written. One object per subscriber: it is both the source
 * and the listener of its log subscription.
 */
class InventoryPush implements PushSource<InventoryStreamEvents>, EntryListener {
  readonly #subscription: Subscription;
  readonly #reset: InventoryMessage | undefined;
  readonly #petId: string | undefined;
  #target: PushTarget<InventoryStreamEvents> | undefined;

  constructor(subscription: Subscription, reset: InventoryMessage | undefined, petId: string | undefined) {
    this.#subscription = subscription;
    this.#reset = reset;
    this.#petId = petId;
  }

  listen(target: PushTarget<InventoryStreamEvents>): void {
    this.#target = target;
    if (this.#reset) target.messages([this.#reset]);
    this.#subscription.listen(this);
  }

  close(): void {
    this.#subscription.close();
  }

  entries(batch: readonly LogEntry[]): void {
    const petId = this.#petId;
    const wanted =
      petId === undefined
        ? batch
        : batch.filter((entry) => (entry.data as { petId?: unknown } | null)?.petId === petId);
    if (wanted.length > 0) this.#target?.messages(wanted as readonly InventoryMessage[]);
  }

  ended(error?: Error): void {
    this.#target?.end(error);
  }
}

/** An opened inventory feed: how it started (`live`, `replayed` after the id, or `reset`) and its messages. */
export interface InventoryFeed {
  resume: ResumeOutcome['kind'];
  messages: PushSource<InventoryStreamEvents>;
}

/**
 * Opens the inventory feed: the changes after `afterId` (or `reset` when that id is not held), then live
 * changes, each once, in commit order, pushed in the batches they were appended in. Subscribing happens before
 * this resolves, so a failing event log is reported before any stream bytes.
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
  const reset = options.afterId === undefined ? undefined : resetMessage(subscription, options.afterId);
  return { resume, messages: new InventoryPush(subscription, reset, options.petId) };
}
