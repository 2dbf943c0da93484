import { EventEmitter } from 'node:events';
import type { SseSink } from '../../src/sse/index.js';

/**
 * An in-memory {@link SseSink} that behaves like a Node writable: `'close'` follows `end()` and
 * `destroy()` asynchronously, and writing after either throws so a stray write fails the test.
 */
export class MemorySink extends EventEmitter implements SseSink {
  readonly writes: string[] = [];
  destroyed = false;
  ended = false;
  /** What `write()` returns: set to `false` to simulate a client that stopped reading. */
  accepting = true;

  get text(): string {
    return this.writes.join('');
  }

  write(chunk: string): boolean {
    if (this.ended || this.destroyed) throw new Error(`write after ${this.ended ? 'end' : 'destroy'}`);
    this.writes.push(chunk);
    return this.accepting;
  }

  end(): void {
    this.ended = true;
    setImmediate(() => this.#finish());
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.nextTick(() => this.emit('close'));
  }

  /** The client goes away: the sink is torn down and emits `'close'`. */
  hangUp(): void {
    this.destroyed = true;
    this.emit('close');
  }

  /** Number of listeners on the events an EventStream uses. */
  listenerTotal(): number {
    return this.listenerCount('drain') + this.listenerCount('close') + this.listenerCount('error');
  }

  #finish(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}
