import type { History, LiveLog, Subscription } from './LiveLog.js';
import { Topic } from './Topic.js';

/** What the in-process live log keeps. */
export interface MemoryLiveLogOptions {
  history: History;
  /** Recent entries each topic keeps for followers that start a little behind (default 1000). */
  capacity?: number;
  /** Topics kept without followers, the most recently published (default 10 000). */
  maxTopics?: number;
  onError?: (error: unknown) => void;
}

/**
 * The live log of one process (the embedded default): a publish after a commit goes straight to the topic's
 * followers in this process. Nothing is lost when the process dies: the events are in the database, and a
 * client resumes from there.
 */
export function createMemoryLiveLog(options: MemoryLiveLogOptions): LiveLog {
  const capacity = options.capacity ?? 1000;
  const maxTopics = options.maxTopics ?? 10_000;
  const onError = options.onError ?? (() => {});
  const topics = new Map<string, Topic>();

  const evictIdle = (): void => {
    for (const [name, topic] of topics) {
      if (topics.size <= maxTopics) return;
      if (topic.followerCount === 0) topics.delete(name);
    }
  };
  const topicOf = (name: string, after: number): Topic => {
    let topic = topics.get(name);
    if (topic) {
      // Most recently used last, so eviction takes the least recently used first.
      topics.delete(name);
      topics.set(name, topic);
      return topic;
    }
    topic = new Topic({ name, after, capacity, history: options.history, onError, onIdle: () => {} });
    topics.set(name, topic);
    evictIdle();
    return topic;
  };

  return {
    async publish(name, entries) {
      const first = entries.reduce((min, entry) => Math.min(min, entry.seq), Number.POSITIVE_INFINITY);
      if (entries.length > 0) topicOf(name, first - 1).deliver(entries);
    },

    async follow(name, after, { signal } = {}): Promise<Subscription> {
      return topicOf(name, after).subscribe(after, signal);
    },

    readerCount: (name) => topics.get(name)?.followerCount ?? 0,

    // Every commit of this process is published here, so a followed topic's position is the head as its
    // followers know it (what is committed and not handed on yet follows it, as for any follower).
    position(name) {
      const topic = topics.get(name);
      return topic !== undefined && topic.followerCount > 0 ? topic.delivered : undefined;
    },

    async close() {
      for (const topic of topics.values()) topic.close();
      topics.clear();
    },
  };
}
