/** A stream the wheel keeps alive. */
export interface HeartbeatTarget {
  /** When the target last wrote to its client, in `performance.now()` milliseconds. */
  readonly lastWriteAt: number;
  /** Writes a heartbeat; called once the target has been idle for the wheel's interval. */
  heartbeat(): void;
  /** Checks that its client takes what it is sent; called on each delivery sweep with `performance.now()`. */
  checkDelivery?(now: number): void;
}

/** Options of a {@link HeartbeatWheel}. */
export interface HeartbeatWheelOptions {
  /**
   * How often every target's `checkDelivery` is called, in milliseconds (rounded up to a tick). Default:
   * never. A stream's `slowClientMs` is checked this often, so a quarter of it is a good choice.
   */
  readonly deliveryCheckMs?: number | undefined;
}

/** Shortest tick of the wheel, in milliseconds. */
export const MIN_TICK_MS = 5;

/**
 * One shared timer that keeps many streams alive: every `tickMs` (a quarter of `intervalMs` or of
 * `deliveryCheckMs`, whichever is shorter, at least {@link MIN_TICK_MS}) it calls `heartbeat()` on each
 * registered target idle for at least `intervalMs`. A target therefore hears a heartbeat between
 * `intervalMs` and `intervalMs + tickMs` after its last write. With `deliveryCheckMs`, it also calls every
 * target's `checkDelivery()` once that much time has passed since the last such sweep. The timer runs only
 * while a target is registered and is `unref()`ed, so it never holds the process open.
 */
export class HeartbeatWheel {
  readonly intervalMs: number;
  readonly tickMs: number;
  readonly deliveryCheckMs: number | undefined;
  readonly #targets = new Set<HeartbeatTarget>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #lastSweep = performance.now();

  /** @param intervalMs idle time before a heartbeat, a positive number of milliseconds. */
  constructor(intervalMs: number, options: HeartbeatWheelOptions = {}) {
    const { deliveryCheckMs } = options;
    for (const [name, value] of [
      ['Heartbeat interval', intervalMs],
      ['Delivery check interval', deliveryCheckMs ?? 1],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}.`);
      }
    }
    this.intervalMs = intervalMs;
    this.deliveryCheckMs = deliveryCheckMs;
    const shortest = Math.min(intervalMs, deliveryCheckMs ?? intervalMs);
    this.tickMs = Math.max(MIN_TICK_MS, Math.floor(shortest / 4));
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
    const sweep = this.deliveryCheckMs !== undefined && now - this.#lastSweep >= this.deliveryCheckMs;
    if (sweep) this.#lastSweep = now;
    // A target may leave the set as it is visited (a dropped client): a Set's iteration allows that.
    for (const target of this.#targets) {
      if (sweep) target.checkDelivery?.(now);
      if (now - target.lastWriteAt >= this.intervalMs) target.heartbeat();
    }
  };
}
