import { Child } from './Child.js';
import type {
  Connected,
  LoadCommand,
  PatchesCommand,
  PatchesResult,
  PhaseResult,
  RequestLoopCommand,
  RequestLoopResult,
  Target,
  Unstalled,
  Watching,
  WritesCommand,
  WritesResult,
} from './loadgen/protocol.js';

/** The load generator process (bench/loadgen/main.ts): one group of streams at a time. */
export class LoadGenerator {
  readonly #child: Child;

  private constructor(child: Child) {
    this.#child = child;
  }

  static async start(): Promise<LoadGenerator> {
    const child = new Child('bench/loadgen/main.ts', []);
    await child.next('ready');
    return new LoadGenerator(child);
  }

  connect(options: {
    target: Target;
    path?: string;
    count?: number;
    paths?: string[];
    sampleEvery: number;
    headers?: Record<string, string> | undefined;
  }): Promise<Connected> {
    const { headers, ...rest } = options;
    return this.#send('connected', { type: 'connect', ...rest, ...(headers ? { headers } : {}) });
  }

  /** Starts a phase: every stream's counters to zero. */
  reset(): Promise<void> {
    return this.#send('reset', { type: 'reset' });
  }

  awaitPhase(perConnection: number, timeoutMs: number): Promise<PhaseResult> {
    return this.#send('phase', { type: 'await', perConnection, timeoutMs });
  }

  /** Stops reading on about `fraction` of the streams; resolves with how many. */
  async stall(fraction: number): Promise<number> {
    return (await this.#send<{ count: number }>('stalled', { type: 'stall', fraction })).count;
  }

  unstall(waitMs: number): Promise<Unstalled> {
    return this.#send('unstalled', { type: 'unstall', waitMs });
  }

  close(): Promise<void> {
    return this.#send('closed', { type: 'close' });
  }

  requests(command: Omit<RequestLoopCommand, 'type'>): Promise<RequestLoopResult> {
    return this.#send('requests', { type: 'requests', ...command });
  }

  /** W7: one inventory subscriber per port. */
  watch(ports: number[], headers?: Record<string, string>): Promise<Watching> {
    return this.#send('watching', { type: 'watch', ports, ...(headers ? { headers } : {}) });
  }

  unwatch(): Promise<void> {
    return this.#send('unwatched', { type: 'unwatch' });
  }

  writes(command: Omit<WritesCommand, 'type'>): Promise<WritesResult> {
    return this.#send('writes', { type: 'writes', ...command });
  }

  /** W8: inventory writes from this process (it holds no streams meanwhile). */
  patches(command: Omit<PatchesCommand, 'type'>): Promise<PatchesResult> {
    return this.#send('patches', { type: 'patches', ...command });
  }

  stop(): void {
    this.#child.stop();
  }

  #send<T>(reply: string, command: LoadCommand): Promise<T> {
    return this.#child.next<T>(reply, command);
  }
}
