import type { EventLog, LogEntry, ResumeOutcome, Subscription } from './EventLog.js';
import { SubscriberQueue } from './SubscriberQueue.js';

interface Topic {
  entries: LogEntry[];
  /** Sequence number of entries[0]. */
  firstSeq: number;
  nextSeq: number;
  readers: Set<SubscriberQueue>;
}

export interface MemoryEventLog extends EventLog {
  /** How many live readers a topic has: 0 once every subscriber went away. */
  readerCount(topic: string): number;
  /** How many topics are kept. */
  readonly topicCount: number;
}

/**
 * The in-process event log (the embedded default). Ids are decimal sequence numbers per topic starting at 1;
 * each topic keeps its newest `capacity` entries (default 1000). At most `maxTopics` topics are kept
 * (default 10 000): past that, the topic appended to least recently that nobody reads is forgotten.
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
      if (topic.readers.size === 0) topics.delete(name);
    }
  };
  const topicOf = (name: string): Topic => {
    let topic = topics.get(name);
    if (!topic) {
      topic = { entries: [], firstSeq: 1, nextSeq: 1, readers: new Set() };
      topics.set(name, topic);
      evictIdle();
    }
    return topic;
  };

  const resumeFrom = (
    topic: Topic,
    afterId: string | undefined,
  ): { outcome: ResumeOutcome; start: number } => {
    const head = topic.nextSeq - 1;
    if (afterId === undefined) return { outcome: { kind: 'live' }, start: topic.entries.length };
    const seq = /^(0|[1-9][0-9]{0,15})$/.test(afterId) ? Number(afterId) : Number.NaN;
    if (Number.isNaN(seq) || seq > head)
      return {
        outcome: { kind: 'reset', reason: 'unknown_id', headId: String(head) },
        start: topic.entries.length,
      };
    if (seq < topic.firstSeq - 1)
      return {
        outcome: { kind: 'reset', reason: 'expired_id', headId: String(head) },
        start: topic.entries.length,
      };
    const start = seq - topic.firstSeq + 1;
    const count = topic.entries.length - start;
    return { outcome: count === 0 ? { kind: 'live' } : { kind: 'replayed', count }, start };
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
      for (const reader of topic.readers) reader.push(entry);
      return entry.id;
    },

    async subscribe(name, { afterId, signal }): Promise<Subscription> {
      const topic = topicOf(name);
      const queue = new SubscriberQueue(signal);
      const { outcome, start } = resumeFrom(topic, afterId);
      for (const entry of topic.entries.slice(start)) queue.push(entry);
      if (!signal.aborted) {
        topic.readers.add(queue);
        signal.addEventListener('abort', () => topic.readers.delete(queue), { once: true });
      }
      return { resume: outcome, entries: queue };
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
      topics.clear();
    },
  };
}
