import { nowMs } from '../clock.js';
import type { Connected, LoadCommand, PhaseResult, Unstalled } from './protocol.js';
import { StreamClient } from './StreamClient.js';

type ConnectCommand = Extract<LoadCommand, { type: 'connect' }>;

/** Connections opened at once: under Node's default listen backlog (511), so no SYN is dropped and retried. */
const CONNECT_WINDOW = 256;

/** The streams a workload holds open at one time, and what one phase of events did to them. */
export class ClientGroup {
  #clients: StreamClient[] = [];
  #phaseStart = nowMs();

  async connect(command: ConnectCommand): Promise<Connected> {
    const startedAt = nowMs();
    const paths = command.paths ?? Array.from({ length: command.count ?? 0 }, () => command.path ?? '/');
    const opened: StreamClient[] = new Array(paths.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < paths.length; i = next++) {
        opened[i] = await StreamClient.open({
          target: command.target,
          path: paths[i]!,
          headers: command.headers,
          sampled: i % command.sampleEvery === 0,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONNECT_WINDOW, paths.length) }, worker));
    const ok = opened.filter((client) => client.ok);
    for (const client of opened) if (!client.ok) client.socket.destroy();
    this.#clients.push(...ok);
    return {
      type: 'connected',
      open: this.#clients.length,
      failed: paths.length - ok.length,
      ms: nowMs() - startedAt,
    };
  }

  reset(): void {
    this.#phaseStart = nowMs();
    for (const client of this.#clients) client.reset();
  }

  /** Waits until every reading client has `perConnection` events of this phase (or closed), then reports. */
  async awaitPhase(perConnection: number, timeoutMs: number): Promise<PhaseResult> {
    const deadline = nowMs() + timeoutMs;
    const done = (): boolean =>
      this.#clients.every((c) => c.stalled || c.closed || c.received >= perConnection);
    while (!done() && nowMs() < deadline) await sleep(10);
    // Anything sent after the expected events (a duplicate) would arrive right behind them.
    await sleep(30);
    const reading = this.#clients.filter((client) => !client.stalled);
    const sum = (pick: (client: StreamClient) => number): number =>
      reading.reduce((total, client) => total + pick(client), 0);
    const lastAt = reading.reduce((last, client) => Math.max(last, client.lastAt), this.#phaseStart);
    return {
      type: 'phase',
      received: sum((c) => c.received),
      losses: sum((c) => Math.max(0, perConnection - c.received)),
      duplicates: sum((c) => c.duplicates),
      gaps: sum((c) => c.gaps),
      spanMs: lastAt - this.#phaseStart,
      latenciesMs: reading.flatMap((client) => client.latencies),
      open: this.#clients.filter((client) => !client.closed).length,
      ended: this.#clients.filter((client) => client.ended).length,
    };
  }

  /** Stops reading on about `fraction` of the clients (their latency is left out of the phase's figures). */
  stall(fraction: number): number {
    const every = Math.max(1, Math.round(1 / fraction));
    this.#clients.forEach((client, i) => {
      if (i % every !== every - 1) return;
      client.stalled = true;
      client.socket.pause();
    });
    return this.#clients.filter((client) => client.stalled).length;
  }

  /**
   * Reads the stalled clients again. A paused socket cannot see its peer close; once it reads, a connection
   * the server dropped delivers what the kernel still held and then ends. Waits up to `waitMs` for that.
   */
  async unstall(waitMs: number): Promise<Unstalled> {
    const stalled = this.#clients.filter((client) => client.stalled);
    for (const client of stalled) client.socket.resume();
    const deadline = nowMs() + waitMs;
    while (stalled.some((client) => !client.closed) && nowMs() < deadline) await sleep(10);
    for (const client of stalled) client.stalled = false;
    return {
      type: 'unstalled',
      stalled: stalled.length,
      closedByServer: stalled.filter((client) => client.closed).length,
    };
  }

  close(): void {
    for (const client of this.#clients) client.socket.destroy();
    this.#clients = [];
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
