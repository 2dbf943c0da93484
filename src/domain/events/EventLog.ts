import type { LiveLog, LogEntry, Subscription } from '../../bus/index.js';
import type { EventMap } from '../../sse/index.js';
import type { EventDraft, Repositories, Store, StreamBounds } from '../../store/index.js';
import type { Publication, Topic } from './topics.js';

/** Publishes an event inside a write: it commits with the write's changes, or not at all. */
export type Publish = <E extends EventMap>(topic: Topic<E>, message: Publication<NoInfer<E>>) => void;

/**
 * The event log: a transactional outbox in the database (every event committed with the change it reports,
 * at a position that is contiguous and in commit order per stream) and a live log that carries committed
 * events to the streams of every process. Event ids are `<generation>.<position>`: unique for the life of
 * the database, and never read as a position in another history.
 */
export interface EventLog {
  /** The generation of the database's history (12 hex digits). */
  readonly generation: string;
  /** The live half, for what observes it (followers per topic). */
  readonly live: LiveLog;
  /** The SSE id of position `seq`: `<generation>.<seq>`. */
  idOf(seq: number): string;
  /**
   * Runs `fn` in one transaction with the repositories bound to it; what it publishes is appended to the
   * outbox in the same transaction (last, so the streams' counter rows are locked only until COMMIT), then
   * handed to the live log once committed. A failure to hand it on does not fail the write: the change and its
   * events are committed, and the relay carries them.
   */
  write<T>(fn: (tx: Repositories, publish: Publish) => Promise<T>): Promise<T>;
  /** Publishes one event in a transaction of its own (no other change); resolves to its id. */
  append<E extends EventMap>(topic: Topic<E>, message: Publication<NoInfer<E>>): Promise<string>;
  /** Where a topic stands in the database. */
  bounds(topic: Topic<EventMap>): Promise<StreamBounds>;
  /** Committed events of a topic after position `after` (through `upTo`), oldest first. */
  read(topic: Topic<EventMap>, after: number, upTo?: number): Promise<LogEntry[]>;
  /** Follows a topic live from just after position `after`. */
  follow(topic: Topic<EventMap>, after: number, signal?: AbortSignal): Promise<Subscription>;
  close(): Promise<void>;
}

/** What the event log is made of. */
export interface EventLogParts {
  store: Store;
  /** Builds the live log given how to read a topic's history from the database. */
  live: (history: (topic: string, after: number, upTo: number | undefined) => Promise<LogEntry[]>) => LiveLog;
  /** Told when a committed event could not be handed to the live log at once (the relay will carry it). */
  onPublishError?: (error: unknown, topic: string) => void;
}

interface Pending {
  topic: Topic<EventMap>;
  drafts: EventDraft[];
  data: unknown[];
}

/** Opens the event log over the store's outbox. */
export async function createEventLog(parts: EventLogParts): Promise<EventLog> {
  const { store } = parts;
  const generation = await store.events.generation();
  const idOf = (seq: number): string => `${generation}.${seq}`;
  const history = async (topic: string, after: number, upTo: number | undefined): Promise<LogEntry[]> => {
    const rows = await store.events.read(topic, after, upTo === undefined ? {} : { upTo });
    return rows.map((row) => ({
      id: idOf(row.seq),
      seq: row.seq,
      event: row.event,
      data: JSON.parse(row.data),
    }));
  };
  const live = parts.live(history);
  const onPublishError = parts.onPublishError ?? (() => {});

  const log: EventLog = {
    generation,
    live,
    idOf,

    async append(topic, message) {
      let id = '';
      await commit(
        async (_tx, publish) => publish(topic, message),
        (entries) => {
          id = entries[0]?.id ?? id;
        },
      );
      return id;
    },

    write: (fn) => commit(fn),

    bounds: (topic) => store.events.bounds(topic.name),
    read: (topic, after, upTo) => history(topic.name, after, upTo),
    follow: (topic, after, signal) => live.follow(topic.name, after, { signal }),
    close: () => live.close(),
  };
  return log;

  async function commit<T>(
    fn: (tx: Repositories, publish: Publish) => Promise<T>,
    onCommitted?: (entries: LogEntry[]) => void,
  ): Promise<T> {
    // `append` must learn its event's id, so it commits on its own (the rows always come back).
    const commitWithLastAppend = onCommitted === undefined;
    const pending = new Map<string, Pending>();
    const publish: Publish = (topic, message) => {
      let entry = pending.get(topic.name);
      if (!entry) {
        entry = { topic, drafts: [], data: [] };
        pending.set(topic.name, entry);
      }
      entry.drafts.push({ event: message.event, data: JSON.stringify(message.data) });
      entry.data.push(message.data);
    };
    const { result, committed } = await store.transaction(async (tx) => {
      const result = await fn(tx, publish);
      const committed: { topic: Topic<EventMap>; entries: LogEntry[] }[] = [];
      // Streams in name order, so two writes that both publish on two streams lock them in the same order.
      const names = [...pending.keys()].sort();
      for (const [index, name] of names.entries()) {
        const { topic, drafts, data } = pending.get(name)!;
        // The last append goes out with the COMMIT, so its counter row is locked only while the database
        // runs it and flushes the commit (not while this process is busy with other requests).
        const rows =
          index === names.length - 1 && commitWithLastAppend
            ? await store.events.appendAndCommit(tx.db, name, drafts)
            : await store.events.append(tx.db, name, drafts);
        // Committed, but the connection dropped before the rows came back: the relay carries these events.
        if (rows === undefined) continue;
        const entries = rows.map((row, i) => ({
          id: idOf(row.seq),
          seq: row.seq,
          event: row.event,
          data: data[i],
        }));
        committed.push({ topic, entries });
      }
      return { result, committed };
    });
    for (const { topic, entries } of committed) {
      onCommitted?.(entries);
      if (!topic.live) continue;
      try {
        await live.publish(topic.name, entries);
      } catch (error) {
        onPublishError(error, topic.name);
      }
    }
    return result;
  }
}
