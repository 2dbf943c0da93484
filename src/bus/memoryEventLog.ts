import type { EventLog, LogEntry, ResumeOutcome, Subscription } from './EventLog.js';
import { SubscriberQueue } from './SubscriberQueue.js';

interface Topic {
  entries: LogEntry[];
  /** Sequence number of entries[0]. */
  firstSeq: number;
  nextSeq: number;
  readers: Set<SubscriberQueue>;
  /** Takes an ended reader out of `readers`. */
  leave: (reader: SubscriberQueue) => void;
  /** Entries appended this turn, not yet handed to the readers. */
  pending: LogEntry[] | undefined;
}

export interface MemoryEventLog extends EventLog {
  /** How many live readers a topic has: 0 once every subscriber went away. */
  readerCount(topic: string): number;
  /** How many topics are kept. */
  readonly topicCount: number;
}

/** Hands a topic's entries of this turn to its readers, all of them the same batch array. */
function fanOut(topic: Topic): void {
  const batch = topic.pending;
  topic.pending = undefined;
  if (batch === undefined) return;
  for (const reader of topic.readers) reader.deliver(batch);
}

const LIVE: ResumeOutcome = { kind: 'live' };

function resumeFrom(topic: Topic, afterId: string | undefined): { outcome: ResumeOutcome; start: number } {
  const head = topic.nextSeq - 1;
  const end = topic.entries.length;
  if (afterId === undefined) return { outcome: LIVE, start: end };
  const seq = /^(0|[1-9][0-9]{0,15})$/.test(afterId) ? Number(afterId) : Number.NaN;
  if (Number.isNaN(seq) || seq > head)
    return { outcome: { kind: 'reset', reason: 'unknown_id', headId: String(head) }, start: end };
  if (seq < topic.firstSeq - 1)
    return { outcome: { kind: 'reset', reason: 'expired_id', headId: String(head) }, start: end };
  const start = seq - topic.firstSeq + 1;
  const count = end - start;
  return { outcome: count === 0 ? LIVE : { kind: 'replayed', count }, start };
}

/**
 * The in-process event log (the embedded default). Ids are decimal sequence numbers per topic starting at 1;
 * each topic keeps its newest `capacity` entries (default 1000). At most `maxTopics` topics are kept
 * (default 10 000): past that, the topic appended to least recently that nobody reads is forgotten.
 * The entries appended to a topic by one piece of synchronous code reach its readers together, as one batch,
 * in a microtask right after it: a burst is fanned out once, not once per entry, and a single entry does not
 * wait for the rest of the event-loop turn.
 */
export function createMemoryEventLog(
  options: { capacity?: number; maxTopics?: number } = {},
): MemoryEventLog {
  const capacity = options.capacity ?? 1000;
  const maxTopics = options.maxTopics ?? 10_000;
  const topics = new Map<string, Topic>();
  const evictIdle = (): void => {
    for (const [name, topic] of topics) {
      if (topics.size <= maxTopics) return;
      if (topic.readers.size === 0 && topic.pending === undefined) topics.delete(name);
    }
  };
  const topicOf = (name: string): Topic => {
    let topic = topics.get(name);
    if (!topic) {
      const readers = new Set<SubscriberQueue>();
      const leave = (reader: SubscriberQueue): void => {
        readers.delete(reader);
      };
      topic = { entries: [], firstSeq: 1, nextSeq: 1, readers, leave, pending: undefined };
      topics.set(name, topic);
      evictIdle();
    }
    return topic;
  };

  return {
    async append(name, event, data) {
      const topic = topicOf(name);
      topics.delete(name);
      topics.set(name, topic);
      const entry: LogEntry = { id: String(topic.nextSeq++), event, data };
      topic.entries.push(entry);
      if (topic.entries.length > capacity) {
        topic.entries.shift();
        topic.firstSeq++;
      }
      if (topic.readers.size > 0) {
        if (topic.pending === undefined) {
          topic.pending = [];
          queueMicrotask(() => fanOut(topic));
        }
        topic.pending.push(entry);
      }
      return entry.id;
    },

    async subscribe(name, { afterId, signal }): Promise<Subscription> {
      const topic = topicOf(name);
      // The readers there already get this turn's entries now, so the new one's replay can include them.
      fanOut(topic);
      const { outcome, start } = resumeFrom(topic, afterId);
      const queue = new SubscriberQueue({ onEnd: topic.leave });
      queue.resume = outcome;
      queue.deliver(topic.entries.slice(start));
      topic.readers.add(queue);
      if (signal?.aborted) queue.close();
      else signal?.addEventListener('abort', () => queue.close(), { once: true });
      return queue;
    },

    async read(name) {
      return [...(topics.get(name)?.entries ?? [])];
    },

    async head(name) {
      const topic = topics.get(name);
      return topic && topic.nextSeq > 1 ? String(topic.nextSeq - 1) : undefined;
    },

    get topicCount() {
      return topics.size;
    },

    readerCount(name) {
      return topics.get(name)?.readers.size ?? 0;
    },

    async close() {
      for (const topic of topics.values()) for (const reader of topic.readers) reader.close();
      topics.clear();
    },
  };
}
