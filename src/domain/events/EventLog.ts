import type { LiveLog, LogEntry, Subscription } from '../../bus/index.js';
import type { EventMap } from '../../sse/index.js';
import {
  currentWriteClaim,
  type EventDraft,
  isLockConflict,
  type Repositories,
  runWithWriteClaim,
  type Store,
  type StreamBounds,
  type WriteClaim,
} from '../../store/index.js';
import { createGroupCommit, type GroupMember } from './groupCommit.js';
import type { Publication, Topic } from './topics.js';

/** Publishes an event inside a write: it commits with the write's changes, or not at all. */
export type Publish = <E extends EventMap>(topic: Topic<E>, message: Publication<NoInfer<E>>) => void;

/** How a write joins a group commit. */
export interface LogWriteOptions {
  /**
   * The row the write locks first, such as `pet:<id>` (see `GroupMember.lockKey`). A group runs its writes in
   * key order, so two groups of two processes lock those rows in the same order. Default: none (first).
   */
  lockKey?: string | undefined;
}

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
   * Runs `fn` in a transaction with the repositories bound to it; what it publishes is appended to the outbox
   * in the same transaction (last, so the streams' counter rows are locked only until COMMIT), then handed to
   * the live log once committed. A failure to hand it on does not fail the write: the change and its events
   * are committed, and the relay carries them.
   *
   * Writes are committed in groups (groupCommit.ts): a write that arrives while another runs waits for it and
   * then runs, in a savepoint of its own, in one transaction with the others that waited. Its result and its
   * error are its own: a write that throws rolls back its savepoint only, and is answered once the group has
   * committed. The Idempotency-Key of the request it runs for (writeClaim.ts) is marked in its savepoint.
   */
  write<T>(fn: (tx: Repositories, publish: Publish) => Promise<T>, options?: LogWriteOptions): Promise<T>;
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

/** What a transaction publishes on one topic, in order. */
interface Pending {
  topic: Topic<EventMap>;
  drafts: EventDraft[];
  data: unknown[];
}

/** What a transaction publishes, by topic name. */
type Outbox = Map<string, Pending>;

/** The events of one topic a transaction committed. */
interface Committed {
  topic: Topic<EventMap>;
  entries: LogEntry[];
}

/** A write waiting for its group. */
interface Waiting extends GroupMember<unknown> {
  fn: (tx: Repositories, publish: Publish) => Promise<unknown>;
  /** The write claim of the request it runs for, settled in its own savepoint. */
  claim: WriteClaim | undefined;
}

/** How a group's transaction went for each of its writes. */
interface GroupOutcome {
  done: { member: Waiting; result: unknown }[];
  /** Writes that threw in their savepoint: their error is their answer. */
  failed: { member: Waiting; error: unknown }[];
  /** Writes whose savepoint hit a lock conflict: they run again, alone. */
  again: Waiting[];
  committed: Committed[];
}

/** A write of a group run without savepoints threw: the group's transaction rolls back and runs again. */
class MemberFailed extends Error {
  constructor(cause: unknown) {
    super('a write of the group failed', { cause });
  }
}

/** A {@link Publish} that collects into `outbox`. */
function collector(outbox: Outbox): Publish {
  return (topic, message) => {
    let entry = outbox.get(topic.name);
    if (!entry) {
      entry = { topic, drafts: [], data: [] };
      outbox.set(topic.name, entry);
    }
    entry.drafts.push({ event: message.event, data: JSON.stringify(message.data) });
    entry.data.push(message.data);
  };
}

/** Adds what `from` publishes after what `into` holds, topic by topic. */
function mergeInto(into: Outbox, from: Outbox): void {
  for (const [name, { topic, drafts, data }] of from) {
    const entry = into.get(name);
    if (entry) {
      entry.drafts.push(...drafts);
      entry.data.push(...data);
    } else into.set(name, { topic, drafts, data });
  }
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
  const enqueue = createGroupCommit<unknown, Waiting>(runGroup);

  const log: EventLog = {
    generation,
    live,
    idOf,

    async append(topic, message) {
      // It must learn its event's id, so the append is not the one sent with COMMIT (those rows may be lost).
      const { committed } = await transact(async (_tx, outbox) => collector(outbox)(topic, message), false);
      await publishLive(committed);
      return committed[0]?.entries[0]?.id ?? '';
    },

    write: <T>(fn: (tx: Repositories, publish: Publish) => Promise<T>, options?: LogWriteOptions) =>
      new Promise<T>((resolve, reject) => {
        enqueue({
          fn,
          claim: currentWriteClaim(),
          lockKey: options?.lockKey ?? '',
          resolve: resolve as (result: unknown) => void,
          reject,
        });
      }),

    bounds: (topic) => store.events.bounds(topic.name),
    read: (topic, after, upTo) => history(topic.name, after, upTo),
    follow: (topic, after, signal) => live.follow(topic.name, after, { signal }),
    close: () => live.close(),
  };
  return log;

  /**
   * Runs `work` in one transaction, then appends what it published to the outbox: streams in name order (two
   * transactions that both publish on two streams lock their counter rows in the same order), the last one
   * sent with the COMMIT unless `commitWithLastAppend` is false, so its counter row is locked only while the
   * database runs it and flushes the commit (not while this process is busy with other requests).
   */
  async function transact<T>(
    work: (tx: Repositories, outbox: Outbox) => Promise<T>,
    commitWithLastAppend = true,
  ): Promise<{ result: T; committed: Committed[] }> {
    return store.transaction(async (tx) => {
      const outbox: Outbox = new Map();
      const result = await work(tx, outbox);
      const committed: Committed[] = [];
      const names = [...outbox.keys()].sort();
      for (const [index, name] of names.entries()) {
        const { topic, drafts, data } = outbox.get(name)!;
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
  }

  /** Hands committed events to the live log; a failure is only told (the relay carries them). */
  async function publishLive(committed: Committed[]): Promise<void> {
    for (const { topic, entries } of committed) {
      if (!topic.live) continue;
      try {
        await live.publish(topic.name, entries);
      } catch (error) {
        onPublishError(error, topic.name);
      }
    }
  }

  /**
   * Commits a group. Alone, a write runs right in the transaction. In a group the writes first run one after
   * the other with nothing between them; if one throws, that transaction is rolled back and the group runs
   * again with each write in a savepoint (two more round trips a write, so only then), where one that throws
   * takes back only its own changes. Its error is given once the group committed (had the group failed, it
   * would have run again). A write whose savepoint hit a lock conflict runs again alone afterwards, and so
   * does every write of a group whose transaction hit one (each then in a transaction of its own).
   */
  async function runGroup(members: Waiting[]): Promise<void> {
    const [only] = members;
    if (members.length === 1 && only) {
      await runAlone(only);
      return;
    }
    let outcome: GroupOutcome;
    try {
      outcome = await runMembers(members, false).catch((error: unknown) => {
        if (error instanceof MemberFailed) return runMembers(members, true);
        throw error;
      });
    } catch (error) {
      if (!isLockConflict(error)) {
        for (const member of members) member.reject(error);
        return;
      }
      for (const member of members) await runAlone(member);
      return;
    }
    await publishLive(outcome.committed);
    for (const { member, result } of outcome.done) member.resolve(result);
    for (const { member, error } of outcome.failed) member.reject(error);
    for (const member of outcome.again) await runAlone(member);
  }

  /**
   * Runs the members of a group in one transaction, each after settling its claim: in savepoints, or without
   * (then the first that throws rejects with {@link MemberFailed} and the transaction rolls back).
   */
  async function runMembers(members: Waiting[], inSavepoints: boolean): Promise<GroupOutcome> {
    const failed: GroupOutcome['failed'] = [];
    const again: Waiting[] = [];
    const { result: done, committed } = await runWithWriteClaim(undefined, () =>
      transact(async (tx, outbox) => {
        const done: GroupOutcome['done'] = [];
        for (const member of members) {
          const published: Outbox = new Map();
          const run = async (on: Repositories) => {
            await member.claim?.settle(on.db);
            return member.fn(on, collector(published));
          };
          try {
            const result = inSavepoints
              ? await tx.db.transaction((savepoint) => run(store.repositoriesOn(savepoint)))
              : await run(tx);
            mergeInto(outbox, published);
            done.push({ member, result });
          } catch (error) {
            if (!inSavepoints) throw new MemberFailed(error);
            if (isLockConflict(error)) again.push(member);
            else failed.push({ member, error });
          }
        }
        return done;
      }),
    );
    return { done, failed, again, committed };
  }

  /** One write in a transaction of its own, its claim settled first (a group of one). */
  async function runAlone(member: Waiting): Promise<void> {
    try {
      const { done, committed } = await runMembers([member], false);
      await publishLive(committed);
      member.resolve(done[0]?.result);
    } catch (error) {
      member.reject(error instanceof MemberFailed ? error.cause : error);
    }
  }
}
