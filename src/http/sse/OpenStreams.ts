/** An open stream as the server tracks it. */
export interface TrackedStream {
  readonly channel: string;
  /** Ends the stream for a shutdown: a last `retry:` of `retryMs`, then `stream-error` `shutting_down`. */
  shutDown(retryMs: number): void;
}

/** Caps on concurrent streams. Default: no cap. */
export interface StreamLimits {
  /** Streams of the whole server. */
  readonly maxStreams?: number;
  /** Streams of one client (its identity, e.g. IP address). */
  readonly maxStreamsPerClient?: number;
}

/** A slot for one stream of a client, held from before its feed opens until the stream closes. */
export interface Admission {
  /** Tracks the opened stream, so a drain can end it. */
  track(stream: TrackedStream): void;
  /** Gives the slot back (idempotent). */
  release(): void;
}

/** Why {@link OpenStreams.admit} refused a stream: the client's cap, or the server's. */
export type StreamLimitReached = 'client_limit' | 'server_limit';

/** How a drain spreads the end of the open streams. */
export interface DrainOptions {
  /** The window over which the streams are ended, evenly spaced in random order. */
  readonly spreadMs: number;
  /** The `retry:` each stream is sent last; called once per stream, so it can be jittered. */
  readonly retryMs: () => number;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The server's open streams, capped per client and in all ({@link admit}). A shutdown {@link drain}s them:
 * new streams are refused from then on ({@link draining}), and the open ones are told to reconnect
 * elsewhere, spread over a window so the clients do not all come back at the same moment.
 */
export class OpenStreams {
  readonly #streams = new Set<TrackedStream>();
  readonly #perClient = new Map<string, number>();
  readonly #maxStreams: number;
  readonly #maxPerClient: number;
  #admitted = 0;
  #draining = false;

  constructor(limits: StreamLimits = {}) {
    this.#maxStreams = limits.maxStreams ?? Number.POSITIVE_INFINITY;
    this.#maxPerClient = limits.maxStreamsPerClient ?? Number.POSITIVE_INFINITY;
  }

  /** Streams admitted now: open, or opening. */
  get size(): number {
    return this.#admitted;
  }

  /** Streams of `client` admitted now. */
  sizeOf(client: string): number {
    return this.#perClient.get(client) ?? 0;
  }

  /**
   * Takes a slot for a stream of `client`, or says which cap is reached. Check and take happen at once, so
   * concurrent requests never exceed a cap.
   */
  admit(client: string): Admission | StreamLimitReached {
    const held = this.sizeOf(client);
    if (held >= this.#maxPerClient) return 'client_limit';
    if (this.#admitted >= this.#maxStreams) return 'server_limit';
    this.#admitted += 1;
    this.#perClient.set(client, held + 1);
    return new Slot(this, client);
  }

  /** Tracks a stream of a slot, so a drain can end it. */
  hold(stream: TrackedStream): void {
    this.#streams.add(stream);
  }

  /** Gives a slot back, and forgets its stream. */
  free(client: string, stream: TrackedStream | undefined): void {
    if (stream) this.#streams.delete(stream);
    this.#admitted -= 1;
    const left = this.sizeOf(client) - 1;
    if (left > 0) this.#perClient.set(client, left);
    else this.#perClient.delete(client);
  }

  /** Ends every stream still tracked at once, e.g. when the server stops (after a drain, none is left). */
  closeAll(retryMs: () => number): void {
    for (const stream of [...this.#streams]) stream.shutDown(retryMs());
  }

  /** True once a drain started: refuse new streams. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Starts refusing new streams and ends every open one with {@link TrackedStream.shutDown}: the n streams
   * in random order, the i-th (from 1) after `spreadMs * i / n`, so the last one ends when the window closes.
   * Resolves once every stream was told; streams that closed meanwhile are skipped.
   */
  drain(options: DrainOptions): Promise<void> {
    this.#draining = true;
    const streams = shuffled([...this.#streams]);
    const step = streams.length === 0 ? 0 : options.spreadMs / streams.length;
    return new Promise((resolve) => {
      let next = 0;
      const started = performance.now();
      const endDue = (): void => {
        const elapsed = performance.now() - started;
        while (next < streams.length && step * (next + 1) <= elapsed) {
          const stream = streams[next]!;
          next += 1;
          if (this.#streams.has(stream)) stream.shutDown(options.retryMs());
        }
        if (next >= streams.length) resolve();
        else setTimeout(endDue, Math.max(0, step * (next + 1) - elapsed));
      };
      endDue();
    });
  }
}

/** One admitted stream's slot: a small object rather than closures, since a server holds thousands. */
class Slot implements Admission {
  readonly #owner: OpenStreams;
  readonly #client: string;
  #stream: TrackedStream | undefined;
  #released = false;

  constructor(owner: OpenStreams, client: string) {
    this.#owner = owner;
    this.#client = client;
  }

  track(stream: TrackedStream): void {
    if (this.#released) return;
    this.#stream = stream;
    this.#owner.hold(stream);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#owner.free(this.#client, this.#stream);
    this.#stream = undefined;
  }
}
