import { EventLogGapError } from './EventLogGapError.js';
import type { History, LogEntry } from './LiveLog.js';
import { SubscriberQueue } from './SubscriberQueue.js';

/** How a topic is kept. */
export interface TopicOptions {
  name: string;
  /** The position it starts after: entries up to it are not delivered. */
  after: number;
  /** Entries kept for followers that start a little behind (default 1000). */
  capacity: number;
  history: History;
  onError: (error: unknown) => void;
  /** Told when the last follower left. */
  onIdle: (topic: Topic) => void;
}

/** A follower that starts behind what the ring holds: its catch-up from the database, and what came meanwhile. */
interface CatchUp {
  after: number;
  held: LogEntry[];
}

/**
 * One stream as one process carries it: it takes entries in any order and any number of times (from a
 * publisher in this process, or from Redis), and hands them to its followers exactly once, in position order,
 * all of them the same batch array. A hole (position n+1 arrived, n did not) is filled from the database; a
 * hole the database no longer holds fails the followers with EventLogGapError, so their clients resume and are
 * told (`reset`). Entries that arrive in one turn of the event loop are handed on together, once that turn's
 * I/O callbacks and promise jobs are done (`setImmediate`): writes that commit in one turn (e.g. several PATCHes
 * read from their sockets in one poll) reach each subscriber as one batch, so as one socket write.
 */
export class Topic {
  /** Takes an ended follower out: one function for every follower of the topic. */
  readonly #leave = (queue: SubscriberQueue): void => this.leave(queue);
  readonly name: string;
  readonly #capacity: number;
  readonly #history: History;
  readonly #onError: (error: unknown) => void;
  readonly #onIdle: (topic: Topic) => void;
  #delivered: number;
  /** The newest delivered entries, contiguous, ending at #delivered. */
  #ring: LogEntry[] = [];
  /** Entries that arrived ahead of a missing position. */
  readonly #early = new Map<number, LogEntry>();
  readonly #followers = new Set<SubscriberQueue>();
  /** Followers that start after a position not delivered yet: what they skip. */
  readonly #skip = new Map<SubscriberQueue, number>();
  readonly #catchingUp = new Map<SubscriberQueue, CatchUp>();
  #flushQueued = false;
  #filling = false;
  readonly #flushNow = (): void => this.#flush();

  constructor(options: TopicOptions) {
    this.name = options.name;
    this.#delivered = options.after;
    this.#capacity = options.capacity;
    this.#history = options.history;
    this.#onError = options.onError;
    this.#onIdle = options.onIdle;
  }

  /** The newest position handed to the followers. */
  get delivered(): number {
    return this.#delivered;
  }

  get followerCount(): number {
    return this.#followers.size + this.#catchingUp.size;
  }

  /** Takes entries, in any order; positions already delivered or already waiting are ignored. */
  deliver(entries: readonly LogEntry[]): void {
    for (const entry of entries)
      if (entry.seq > this.#delivered && !this.#early.has(entry.seq)) this.#early.set(entry.seq, entry);
    if (this.#early.size > 0 && !this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(this.#flushNow);
    }
  }

  /** A new follower's subscription after position `after`, ended when `signal` aborts (or by `close()`). */
  subscribe(after: number, signal: AbortSignal | undefined): SubscriberQueue {
    const queue = new SubscriberQueue({ onEnd: this.#leave });
    this.follow(after, queue);
    if (signal?.aborted) queue.close();
    // The queue is its own listener (`handleEvent`): no closure per follower, a server holds thousands.
    else signal?.addEventListener('abort', queue, { once: true });
    return queue;
  }

  /** Starts `queue` after position `after`: from the ring, the database, or the next entries. */
  follow(after: number, queue: SubscriberQueue): void {
    if (after > this.#delivered) {
      this.#skip.set(queue, after);
      this.#followers.add(queue);
      return;
    }
    const first = this.#ring[0]?.seq ?? this.#delivered + 1;
    if (first <= after + 1) {
      queue.deliver(this.#ring.slice(after + 1 - first));
      this.#followers.add(queue);
      return;
    }
    const catchUp: CatchUp = { after, held: [] };
    this.#catchingUp.set(queue, catchUp);
    const upTo = this.#delivered;
    this.#history(this.name, after, upTo).then(
      (entries) => {
        if (this.#catchingUp.get(queue) !== catchUp) return;
        this.#catchingUp.delete(queue);
        if (!isRun(entries, after, upTo)) {
          queue.fail(new EventLogGapError(this.name, after));
          return;
        }
        queue.deliver(entries);
        const later = catchUp.held.filter((entry) => entry.seq > upTo);
        if (later.length > 0) queue.deliver(later);
        this.#followers.add(queue);
      },
      (error: unknown) => {
        this.#catchingUp.delete(queue);
        queue.fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** Takes an ended follower out; tells the owner when none is left. */
  leave(queue: SubscriberQueue): void {
    const had = this.#followers.delete(queue) || this.#catchingUp.delete(queue);
    this.#skip.delete(queue);
    if (had && this.followerCount === 0) this.#onIdle(this);
  }

  /** Ends every follower with `error` (the transport was lost). */
  fail(error: Error): void {
    for (const queue of [...this.#followers, ...this.#catchingUp.keys()]) queue.fail(error);
  }

  /** Ends every follower. */
  close(): void {
    for (const queue of [...this.#followers, ...this.#catchingUp.keys()]) queue.close();
  }

  #flush(): void {
    this.#flushQueued = false;
    const batch: LogEntry[] = [];
    for (let next = this.#early.get(this.#delivered + 1); next; next = this.#early.get(this.#delivered + 1)) {
      this.#early.delete(next.seq);
      this.#delivered = next.seq;
      batch.push(next);
    }
    if (batch.length > 0) this.#fanOut(batch);
    if (this.#early.size === 0) return;
    const upTo = Math.min(...this.#early.keys()) - 1;
    if (this.#needing(upTo).length > 0) void this.#fill();
    else {
      // No follower needs the hole (each starts after it): go on past it without reading it.
      this.#ring = [];
      this.#delivered = upTo;
      this.#flush();
    }
  }

  /** The followers that need positions up to `upTo` that were not delivered yet. */
  #needing(upTo: number): SubscriberQueue[] {
    const needing = [...this.#catchingUp.keys()];
    for (const queue of this.#followers) {
      const skip = this.#skip.get(queue);
      if (skip === undefined || skip < upTo) needing.push(queue);
    }
    return needing;
  }

  #fanOut(batch: LogEntry[]): void {
    this.#ring.push(...batch);
    if (this.#ring.length > this.#capacity) this.#ring.splice(0, this.#ring.length - this.#capacity);
    const last = batch[batch.length - 1]!.seq;
    for (const queue of this.#followers) {
      const skip = this.#skip.get(queue);
      if (skip === undefined) queue.deliver(batch);
      else if (last > skip) {
        this.#skip.delete(queue);
        queue.deliver(batch.filter((entry) => entry.seq > skip));
      }
    }
    for (const catchUp of this.#catchingUp.values()) catchUp.held.push(...batch);
  }

  /** Reads the hole before the earliest waiting entry from the database. */
  async #fill(): Promise<void> {
    if (this.#filling) return;
    this.#filling = true;
    const after = this.#delivered;
    const upTo = Math.min(...this.#early.keys()) - 1;
    try {
      const entries = await this.#history(this.name, after, upTo);
      if (this.#delivered === after && !isRun(entries, after, upTo)) {
        // The database no longer holds the hole: the followers that need it cannot be given it, so they are
        // told (their clients resume and get `reset`); the others go on past it.
        const gap = new EventLogGapError(this.name, after);
        for (const queue of this.#needing(upTo)) queue.fail(gap);
        this.#ring = [];
        this.#delivered = upTo;
      } else this.deliver(entries);
    } catch (error) {
      // The database is away: the followers end (their clients resume later, from the database), and what
      // waited is dropped rather than retried in a loop; the next entries start the next attempt.
      this.#onError(error);
      this.#early.clear();
      this.fail(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#filling = false;
      if (!this.#flushQueued && this.#early.size > 0) {
        this.#flushQueued = true;
        setImmediate(this.#flushNow);
      }
    }
  }
}

/** Whether `entries` are exactly the positions after `after` through `upTo`. */
function isRun(entries: readonly LogEntry[], after: number, upTo: number): boolean {
  if (entries.length !== upTo - after) return false;
  return entries.every((entry, i) => entry.seq === after + 1 + i);
}
