/** A stream the wheel keeps alive. */
export interface HeartbeatTarget {
  /** When the target last wrote to its client, in `performance.now()` milliseconds. */
  readonly lastWriteAt: number;
  /** Writes a heartbeat; called once the target has been idle for the wheel's interval. */
  heartbeat(): void;
}

/** Shortest tick of the wheel, in milliseconds. */
export const MIN_TICK_MS = 5;

/**
 * One shared timer that keeps many streams alive: every `tickMs` (a quarter of `intervalMs`, at
 * least {@link MIN_TICK_MS}) it calls `heartbeat()` on each registered target idle for at least
 * `intervalMs`. A target therefore hears a heartbeat between `intervalMs` and `intervalMs + tickMs`
 * after its last write. The timer runs only while a target is registered and is `unref()`ed, so it
 * never holds the process open.
 */
export class HeartbeatWheel {
  readonly intervalMs: number;
  readonly tickMs: number;
  readonly #targets = new Set<HeartbeatTarget>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @param intervalMs idle time before a heartbeat, a positive number of milliseconds. */
  constructor(intervalMs: number) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(
        `Heartbeat interval must be a positive number of milliseconds, got ${intervalMs}.`,
      );
    }
    this.intervalMs = intervalMs;
    this.tickMs = Math.max(MIN_TICK_MS, Math.floor(intervalMs / 4));
  }

  /** Number of registered targets. */
  get size(): number {
    return this.#targets.size;
  }

  /** Registers a target (idempotent); starts the timer on the first. Ignored after {@link close}. */
  add(target: HeartbeatTarget): void {
    if (this.#closed) return;
    this.#targets.add(target);
    if (this.#timer === undefined) {
      this.#timer = setInterval(this.#tick, this.tickMs);
      this.#timer.unref();
    }
  }

  /** Unregisters a target (idempotent); stops the timer when none is left. */
  remove(target: HeartbeatTarget): void {
    this.#targets.delete(target);
    if (this.#targets.size === 0) this.#stop();
  }

  /** Stops the timer and forgets every target; later `add` calls are ignored. */
  close(): void {
    this.#closed = true;
    this.#targets.clear();
    this.#stop();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  readonly #tick = (): void => {
    const now = performance.now();
    for (const target of this.#targets) {
      if (now - target.lastWriteAt >= this.intervalMs) target.heartbeat();
    }
  };
}
