import type { EntryListener, LogEntry, Subscription } from '../../bus/index.js';
import type { EventMap, PushSource, PushTarget, StreamMessage } from '../../sse/index.js';
import type { StreamBounds } from '../../store/index.js';
import type { EventLog } from './EventLog.js';
import {
  decideResume,
  type ResumeCursor,
  type ResumeDecision,
  resetMessage,
  resumeOutcome,
} from './resume.js';
import type { Topic } from './topics.js';

/** An event log id, `<generation>.<position>`: 12 hex digits, a dot, a decimal position. */
const LOG_ID = /^([0-9a-f]{12})\.(0|[1-9][0-9]{0,15})$/;

/** Reads an event log id; undefined for anything else. */
export function parseLogId(id: string | undefined): ResumeCursor | undefined {
  const match = id === undefined ? null : LOG_ID.exec(id);
  if (!match) return undefined;
  const position = Number(match[2]);
  return Number.isSafeInteger(position) ? { history: match[1], position } : undefined;
}

/** A stream fed from one topic of the event log: how it starts, the id it starts at, and its messages. */
export interface LogFeed<E extends EventMap> {
  resume: 'live' | 'replayed' | 'reset';
  /** For a request that did not resume: the id of the head, to write before any event. */
  startId: string | undefined;
  messages: PushSource<E>;
}

export interface LogFeedOptions {
  /** Ends the subscription when aborted. */
  signal?: AbortSignal | undefined;
  /** What a client that gets `reset` should do, e.g. "Refetch GET /v1/inventory, then follow the live events." */
  afterReset: string;
  /** Which entries this stream wants (default: all). */
  accept?: ((entry: LogEntry) => boolean) | undefined;
}

/** Bounds queries in flight for streams that do not resume, per log and topic. */
const liveBoundsInFlight = new WeakMap<EventLog, Map<string, Promise<StreamBounds>>>();

/**
 * The bounds a new stream (no resume id) starts from. Streams that open while a query for the same topic is in
 * flight share its answer instead of sending one each (a crowd reconnecting sends thousands at once). It is
 * sound because such a stream only follows: a head read a moment before its request arrived makes it start a
 * little earlier, with the events committed since, each once and in order. A resume never shares: a shared head
 * could be older than the client's id, which would read as an id from the future.
 */
function liveBounds(log: EventLog, topic: Topic<EventMap>): Promise<StreamBounds> {
  const inFlight = liveBoundsInFlight.get(log) ?? new Map<string, Promise<StreamBounds>>();
  liveBoundsInFlight.set(log, inFlight);
  const shared = inFlight.get(topic.name);
  if (shared) return shared;
  const query = log.bounds(topic).finally(() => inFlight.delete(topic.name));
  inFlight.set(topic.name, query);
  return query;
}

/**
 * Opens a stream of one topic: decides the resume (see `decideResume`), reads what the client missed from the
 * database, then follows the topic live from the head it read, so every event after the resume id arrives
 * once and in order. A topic's entries are already shaped as its stream's messages (`id`, `event`, `data`,
 * checked against the channel's schema when each frame is written), so an unfiltered batch goes to every
 * subscriber as the same array and is encoded once for all of them.
 */
export async function openLogFeed<E extends EventMap>(
  log: EventLog,
  topic: Topic<EventMap>,
  resumeId: string | undefined,
  options: LogFeedOptions,
): Promise<LogFeed<E>> {
  // A new stream of a topic already followed here starts where its followers are, without a database read
  // (tens of thousands of clients connecting would each wait for one).
  const position = resumeId === undefined ? log.live.position(topic.name) : undefined;
  if (position !== undefined) {
    const subscription = await log.follow(topic, position, options.signal);
    return {
      resume: 'live',
      startId: log.idOf(position),
      messages: new LogPush<E>(subscription, undefined, [], options.accept),
    };
  }
  const bounds = resumeId === undefined ? await liveBounds(log, topic) : await log.bounds(topic);
  const state = { history: log.generation, head: bounds.head, oldest: bounds.oldest };
  let decision: ResumeDecision = decideResume(resumeId, parseLogId(resumeId), state);
  let replay: LogEntry[] = [];
  if (decision.kind === 'replay' && decision.after < bounds.head) {
    replay = await log.read(topic, decision.after, bounds.head);
    // Pruned between the two reads: the replay would have a hole.
    if (replay.length !== bounds.head - decision.after)
      decision = { kind: 'reset', reason: 'expired_id', after: bounds.head };
  }
  if (decision.kind === 'reset') replay = [];
  const subscription = await log.follow(topic, bounds.head, options.signal);
  const reset =
    decision.kind === 'reset' && resumeId !== undefined
      ? resetMessage(decision.reason, resumeId, log.idOf(bounds.head), options.afterReset)
      : undefined;
  return {
    resume: decision.kind === 'finished' ? 'replayed' : resumeOutcome(decision),
    startId: resumeId === undefined ? log.idOf(bounds.head) : undefined,
    messages: new LogPush<E>(subscription, reset, replay, options.accept),
  };
}

/** One subscriber's push source over its log subscription: the reset or the replay at once, then live. */
class LogPush<E extends EventMap> implements PushSource<E>, EntryListener {
  readonly #subscription: Subscription;
  readonly #first: readonly LogEntry[];
  readonly #reset: ReturnType<typeof resetMessage> | undefined;
  readonly #accept: ((entry: LogEntry) => boolean) | undefined;
  #target: PushTarget<E> | undefined;

  constructor(
    subscription: Subscription,
    reset: ReturnType<typeof resetMessage> | undefined,
    replay: readonly LogEntry[],
    accept: ((entry: LogEntry) => boolean) | undefined,
  ) {
    this.#subscription = subscription;
    this.#reset = reset;
    this.#first = replay;
    this.#accept = accept;
  }

  listen(target: PushTarget<E>): void {
    this.#target = target;
    if (this.#reset) target.messages([this.#reset as unknown as StreamMessage<E>]);
    if (this.#first.length > 0) this.entries(this.#first);
    this.#subscription.listen(this);
  }

  close(): void {
    this.#subscription.close();
  }

  entries(batch: readonly LogEntry[]): void {
    const accept = this.#accept;
    const wanted = accept === undefined ? batch : batch.filter(accept);
    // The entries are the channel's messages; each frame is checked against its schema before it is written.
    if (wanted.length > 0)
      this.#target?.messages(wanted as readonly unknown[] as readonly StreamMessage<E>[]);
  }

  ended(error?: Error): void {
    this.#target?.end(error);
  }
}
