import { Child } from './Child.js';
import type {
  OrdersPrepared,
  Published,
  ServerCommand,
  ServerReady,
  ServerStats,
} from './servers/serverMain.js';

/** A server under test running in its own process (bench/servers/serverMain.ts), driven over IPC. */
export class ServerProcess {
  readonly name: string;
  readonly #child: Child;
  readonly #ready: ServerReady;

  private constructor(name: string, child: Child, ready: ServerReady) {
    this.name = name;
    this.#child = child;
    this.#ready = ready;
  }

  /** `kind` picks the implementation (`raw`, `ours`, a peer); `env` configures it. */
  static async start(name: string, kind: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const child = new Child('bench/servers/serverMain.ts', [kind], env);
    return new ServerProcess(name, child, await child.next<ServerReady>('ready'));
  }

  /** The server's process id (for reading its CPU from /proc, from outside). */
  get pid(): number {
    return this.#child.process.pid ?? 0;
  }

  get port(): number {
    return this.#ready.port;
  }

  get socketPath(): string {
    return this.#ready.socketPath;
  }

  get servesOrders(): boolean {
    return this.#ready.orders;
  }

  /** Memory, CPU and open streams now; after two forced GCs with `gc`. */
  stats(gc: boolean): Promise<ServerStats> {
    return this.#send('stats', { type: 'stats', gc });
  }

  /** Broadcasts `bursts` × `burstSize` inventory events, `intervalMs` apart; resolves when all are published. */
  publish(events: { bursts: number; burstSize: number; intervalMs: number }): Promise<Published> {
    return this.#send('published', { type: 'publish', ...events });
  }

  prepareOrders(count: number): Promise<OrdersPrepared> {
    return this.#send('orders-prepared', { type: 'prepare-orders', count });
  }

  /** Publishes the live statuses of the first `count` prepared orders (see serverMain `publishOrders`). */
  publishOrders(count: number, stepMs: number): Promise<Published> {
    return this.#send('published', { type: 'publish-orders', count, stepMs });
  }

  stop(): void {
    this.#child.stop();
  }

  #send<T>(reply: string, command: ServerCommand): Promise<T> {
    return this.#child.next<T>(reply, command);
  }
}
