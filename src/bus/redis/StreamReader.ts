import type { Redis } from 'ioredis';
import { EventLogUnavailableError } from '../EventLogUnavailableError.js';
import { ReadStreams, type StreamTarget } from './ReadStreams.js';
import { untilReady } from './redisConnection.js';

/** One XREAD on its way: which set of streams it covers, and whether it was woken already. */
interface InFlightRead {
  readonly generation: number;
  woken: boolean;
}

/** What the reader reads with. */
export interface StreamReaderOptions {
  /** The blocking connection, used by nothing else. */
  connection: Redis;
  /** A command connection, to wake the blocked one with CLIENT UNBLOCK. */
  command: Redis;
  /** Most entries taken from one stream per round trip (default 1000). */
  count?: number;
  /** How long one XREAD blocks before it is sent again (default 5000 ms); it bounds the cost of a missed wake-up. */
  blockMs?: number;
  /**
   * How long Redis may be away (disconnected, or not answering a read) before every stream read fails with
   * EventLogUnavailableError (default 2000 ms): the clients are told and resume, rather than wait in silence.
   */
  outageMs?: number;
  onError: (error: unknown) => void;
}

/** Attempts at CLIENT UNBLOCK while the XREAD to wake has not reached Redis yet. */
const UNBLOCK_ATTEMPTS = 20;

/**
 * The one blocking reader of a process: a single `XREAD BLOCK` on its own connection covers every stream that
 * this process follows, and hands each stream's entries to its target (the process's topic). A new stream
 * wakes the blocked read at once so it is included; a stream no longer followed is no longer read. A short
 * loss of the connection is bridged (it reads on from each stream's cursor; the topic fills any hole from the
 * database); an outage longer than `outageMs` (or a read that does not come back, as from a frozen Redis)
 * fails every stream with EventLogUnavailableError.
 */
export class StreamReader {
  readonly #connection: Redis;
  readonly #command: Redis;
  readonly #count: number;
  readonly #blockMs: number;
  readonly #outageMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #streams = new ReadStreams();
  readonly #closing = new AbortController();
  /** Counts changes to the set of streams read, so a read sent before one can be told apart. */
  #generation = 0;
  #inFlight: InFlightRead | undefined;
  #clientId: number | undefined;
  #outage: NodeJS.Timeout | undefined;
  #unblocking = false;
  #wakeIdle: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: StreamReaderOptions) {
    this.#connection = options.connection;
    this.#command = options.command;
    this.#count = options.count ?? 1000;
    this.#blockMs = options.blockMs ?? 5000;
    this.#outageMs = options.outageMs ?? 2000;
    this.#onError = options.onError;
    this.#connection.on('close', () => {
      this.#clientId = undefined;
      this.#startOutage();
    });
    this.#connection.on('ready', () => this.#endOutage());
  }

  /** Starts reading `key` after position `after` for `target`; false when it is read already. */
  add(key: string, target: StreamTarget, after: number): boolean {
    if (this.#closing.signal.aborted) {
      target.close();
      return false;
    }
    if (!this.#streams.add(key, target, after)) return false;
    this.#generation++;
    this.#wakeIdle?.();
    void this.#unblock();
    this.#loop ??= this.#run();
    return true;
  }

  /** Stops reading `key` for `target`. */
  remove(key: string, target: StreamTarget): void {
    this.#streams.remove(key, target);
  }

  /** Stops reading and ends every stream's target. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#endOutage();
    this.#wakeIdle?.();
    this.#streams.endAll();
    this.#connection.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted) {
      if (this.#streams.size === 0) {
        await new Promise<void>((resolve) => {
          this.#wakeIdle = resolve;
        });
        this.#wakeIdle = undefined;
        continue;
      }
      if (!(await untilReady(this.#connection, { signal }))) return;
      try {
        this.#clientId ??= await this.#connection.client('ID');
        await this.#read();
      } catch (error) {
        this.#inFlight = undefined;
        if (signal.aborted) return;
        // The connection dropped (which rejects every command in flight) or Redis refused the read: report it,
        // wait for the connection to be ready again, and read on from each stream's cursor.
        this.#onError(error);
        if (this.#connection.status === 'ready') await pause(this.#blockMs, signal);
      }
    }
  }

  async #read(): Promise<void> {
    const { keys, ids } = this.#streams.cursors();
    if (keys.length === 0) return;
    const read: InFlightRead = { generation: this.#generation, woken: false };
    this.#inFlight = read;
    // A read that does not come back well after its BLOCK time means Redis stopped answering (frozen): the
    // connection is dropped (the read rejects) and, as for any lost connection, the outage timer runs.
    const stalled = setTimeout(() => this.#connection.disconnect(true), this.#blockMs + this.#outageMs);
    let reply: unknown;
    try {
      reply = await this.#connection.call(
        'XREAD',
        'COUNT',
        this.#count,
        'BLOCK',
        this.#blockMs,
        'STREAMS',
        ...keys,
        ...ids,
      );
    } finally {
      clearTimeout(stalled);
    }
    this.#inFlight = undefined;
    if (!Array.isArray(reply)) return;
    for (const part of reply)
      if (Array.isArray(part) && Array.isArray(part[1]))
        this.#streams.dispatch(String(part[0]), part[1], this.#onError);
  }

  #startOutage(): void {
    if (this.#outage || this.#closing.signal.aborted) return;
    this.#outage = setTimeout(() => {
      this.#outage = undefined;
      if (this.#connection.status === 'ready') return;
      this.#streams.failAll(new EventLogUnavailableError('follow'));
    }, this.#outageMs);
    this.#outage.unref();
  }

  #endOutage(): void {
    clearTimeout(this.#outage);
    this.#outage = undefined;
  }

  /**
   * Wakes the blocked XREAD when it misses a stream added since it was sent. CLIENT UNBLOCK answers 0 when the
   * XREAD has not reached Redis yet, so it is retried a few times; past that, the read's BLOCK timeout covers it.
   */
  async #unblock(): Promise<void> {
    if (this.#unblocking) return;
    this.#unblocking = true;
    try {
      for (let attempt = 0; attempt < UNBLOCK_ATTEMPTS; attempt++) {
        const read = this.#inFlight;
        const clientId = this.#clientId;
        if (!read || read.woken || read.generation === this.#generation || clientId === undefined) return;
        read.woken = (await this.#command.client('UNBLOCK', clientId)) === 1;
      }
    } catch (error) {
      // The command connection is down: the read picks the new stream up when its BLOCK times out.
      this.#onError(error);
    } finally {
      this.#unblocking = false;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
