import type { Redis } from 'ioredis';
import { ReadStreams } from './ReadStreams.js';
import { untilReady } from './redisConnection.js';
import type { StreamSubscriber } from './StreamSubscriber.js';
import { readStreamInfos } from './streamInfo.js';

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
  onError: (error: unknown) => void;
}

/** Attempts at CLIENT UNBLOCK while the XREAD to wake has not reached Redis yet. */
const UNBLOCK_ATTEMPTS = 20;

/**
 * The one blocking reader of a process: a single `XREAD BLOCK` on its own connection covers every stream that
 * has subscribers, and fans each entry out to them. A stream is read from the id its first subscriber's snapshot
 * ended at; a new stream wakes the blocked read at once so it is included; a stream whose last subscriber left
 * is no longer read. After a lost connection it reconnects and reads on from the last id it saw in each stream,
 * failing the subscribers of a stream that lost entries meanwhile.
 */
export class StreamReader {
  readonly #connection: Redis;
  readonly #command: Redis;
  readonly #count: number;
  readonly #blockMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #streams = new ReadStreams();
  readonly #closing = new AbortController();
  /** Counts changes to the set of streams read, so a read sent before one can be told apart. */
  #generation = 0;
  #inFlight: InFlightRead | undefined;
  #clientId: number | undefined;
  /** Set when the connection dropped: streams may have lost entries past their cursors meanwhile. */
  #reconnected = false;
  #unblocking = false;
  #wakeIdle: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: StreamReaderOptions) {
    this.#connection = options.connection;
    this.#command = options.command;
    this.#count = options.count ?? 1000;
    this.#blockMs = options.blockMs ?? 5000;
    this.#onError = options.onError;
    this.#connection.on('close', () => {
      this.#clientId = undefined;
      this.#reconnected = true;
    });
  }

  /** Registers a subscriber; it gets live entries once its stream is read (see readFrom). */
  add(key: string, subscriber: StreamSubscriber): void {
    if (this.#closing.signal.aborted) subscriber.close();
    else this.#streams.add(key, subscriber);
  }

  /** Forgets a subscriber; a stream left without any is no longer read. */
  remove(key: string, subscriber: StreamSubscriber): void {
    this.#streams.remove(key, subscriber);
  }

  /** Starts reading `key` after `id`, unless it is read already (from no later than `id`). */
  readFrom(key: string, id: string): void {
    if (this.#closing.signal.aborted || !this.#streams.start(key, id)) return;
    this.#generation++;
    this.#wakeIdle?.();
    void this.#unblock();
    this.#loop ??= this.#run();
  }

  /** How many subscribers a stream has. */
  subscriberCount(key: string): number {
    return this.#streams.subscriberCount(key);
  }

  /** Stops reading and ends every subscription. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#wakeIdle?.();
    this.#streams.endAll();
    this.#connection.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted) {
      if (this.#streams.cursors().keys.length === 0) {
        await new Promise<void>((resolve) => {
          this.#wakeIdle = resolve;
        });
        this.#wakeIdle = undefined;
        continue;
      }
      if (!(await untilReady(this.#connection, { signal }))) return;
      try {
        this.#clientId ??= await this.#connection.client('ID');
        if (this.#reconnected) await this.#failGaps();
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
    const reply = await this.#connection.call(
      'XREAD',
      'COUNT',
      this.#count,
      'BLOCK',
      this.#blockMs,
      'STREAMS',
      ...keys,
      ...ids,
    );
    this.#inFlight = undefined;
    if (!Array.isArray(reply)) return;
    for (const part of reply)
      if (Array.isArray(part) && Array.isArray(part[1]))
        this.#streams.dispatch(String(part[0]), part[1], this.#onError);
  }

  async #failGaps(): Promise<void> {
    const { keys } = this.#streams.cursors();
    const infos = await readStreamInfos(this.#connection, keys);
    this.#reconnected = false;
    this.#streams.failGaps(keys, infos);
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
