import { createParser } from 'eventsource-parser';
import { LastEventIdTracker } from './LastEventIdTracker.js';

/** One frame with data, as the subscriber received it. */
export interface ReceivedFrame {
  id: string | undefined;
  event: string;
  data: string;
  /** Which of the subscriber's connections (1, 2, …) brought it. */
  connection: number;
  /** When it arrived (epoch ms). */
  at: number;
}

/** A `reset` frame and the id the connection that brought it resumed from. */
export interface ResetSeen {
  resumedFrom: string | undefined;
  id: string | undefined;
  reason: string;
}

export interface SubscriberOptions {
  /** Resume from this id on the first connection (as `Last-Event-ID`), like a client that was here before. */
  lastEventId?: string | undefined;
  path?: string;
  /** A connection silent for this long is dropped and made again (the stream heartbeats much more often). */
  idleMs?: number;
  /** Drops each connection after this long and resumes, so resumes happen all through a fault. */
  churnMs?: number;
}

/**
 * An SSE client that behaves like EventSource behind a load balancer: it connects to the first URL that
 * `targets()` offers (the next one after a refused connection), records every frame, and when a response ends
 * or fails it reconnects after the `retry:` delay with `Last-Event-ID`, the last id it saw (id-only blocks
 * included). Unlike EventSource it also retries after a non-200 answer, and counts those.
 */
export class Subscriber {
  readonly frames: ReceivedFrame[] = [];
  readonly resets: ResetSeen[] = [];
  /** `stream-error` frames (`code` of each). */
  readonly streamErrors: string[] = [];
  /** Connections that failed or were answered with something other than a 200 stream, and why. */
  readonly failures: string[] = [];
  lastEventId: string | undefined;
  /** The id this subscriber started after: the one it was given, or the first its first stream sent. */
  startId: string | undefined;
  connections = 0;
  #retryMs = 100;
  #stopped = false;
  #abort = new AbortController();
  #running: Promise<void> = Promise.resolve();
  readonly #waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly targets: () => string[],
    private readonly options: SubscriberOptions = {},
  ) {
    this.lastEventId = options.lastEventId;
    this.startId = options.lastEventId;
  }

  start(): this {
    this.#running = this.#run();
    return this;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await this.#running;
  }

  /** Waits until `condition()` holds (checked after every frame and id), or fails after `timeoutMs`. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`${this.name}: ${what} not reached in ${timeoutMs} ms (last id ${this.lastEventId})`),
        );
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** Waits until it has a first id: its stream is open and positioned. */
  opened(timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.lastEventId !== undefined, timeoutMs, 'a first id');
  }

  async #run(): Promise<void> {
    let refusedInARow = 0;
    while (!this.#stopped) {
      const urls = this.targets();
      const url = urls[refusedInARow % Math.max(1, urls.length)];
      const ok = url !== undefined && (await this.#connect(url));
      refusedInARow = ok ? 0 : refusedInARow + 1;
      if (!this.#stopped) await this.#sleep(this.#retryMs);
    }
  }

  /** One connection, read until it ends; false when it never became a stream. */
  async #connect(base: string): Promise<boolean> {
    const connection = ++this.connections;
    const resumedFrom = this.lastEventId;
    const idle = new AbortController();
    const churn = new AbortController();
    const signal = AbortSignal.any([this.#abort.signal, idle.signal, churn.signal]);
    const churning = this.options.churnMs ? setTimeout(() => churn.abort(), this.options.churnMs) : undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let streamed = false;
    const touch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => idle.abort(), this.options.idleMs ?? 5000);
    };
    try {
      touch();
      const response = await fetch(`${base}${this.options.path ?? '/v1/inventory/stream'}`, {
        headers: { accept: 'text/event-stream', ...(resumedFrom ? { 'last-event-id': resumedFrom } : {}) },
        signal,
      });
      if (response.status !== 200 || !response.body) {
        this.failures.push(`status ${response.status}`);
        await response.body?.cancel();
        return false;
      }
      streamed = true;
      const ids = new LastEventIdTracker((id) => this.#sawId(id));
      const parser = createParser({
        onRetry: (ms) => {
          this.#retryMs = Math.min(ms, 1000);
        },
        onEvent: (frame) =>
          this.#sawFrame(frame.id, frame.event ?? 'message', frame.data, connection, resumedFrom),
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (let step = await reader.read(); !step.done; step = await reader.read()) {
        touch();
        const text = decoder.decode(step.value, { stream: true });
        ids.feed(text);
        parser.feed(text);
      }
      return true;
    } catch (error) {
      if (!this.#stopped && !churn.signal.aborted)
        this.failures.push(idle.signal.aborted ? 'idle' : errorName(error));
      return streamed;
    } finally {
      clearTimeout(watchdog);
      clearTimeout(churning);
    }
  }

  #sawId(id: string): void {
    this.lastEventId = id;
    this.startId ??= id;
    this.#notify();
  }

  #sawFrame(id: string | undefined, event: string, data: string, connection: number, resumedFrom?: string) {
    this.frames.push({ id, event, data, connection, at: Date.now() });
    if (event === 'reset') this.resets.push({ resumedFrom, id, reason: field(data, 'reason') });
    if (event === 'stream-error') this.streamErrors.push(field(data, 'code'));
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#abort.signal.addEventListener('abort', done);
    });
  }
}

function field(data: string, name: string): string {
  try {
    return String((JSON.parse(data) as Record<string, unknown>)[name]);
  } catch {
    return `unparsable: ${data.slice(0, 80)}`;
  }
}

function errorName(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message ?? String(error);
}
