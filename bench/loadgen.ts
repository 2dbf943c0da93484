import { connect, type Socket } from 'node:net';
import { nowMs, parseMicroTimestamp, STREAM_PATH } from './payload.js';

/** Messages from the bench runner. */
export type LoadCommand =
  | { type: 'connect'; port: number; count: number; sampleEvery: number }
  | { type: 'reset' }
  | { type: 'await'; perConnection: number; timeoutMs: number }
  | { type: 'stall'; fraction: number }
  | { type: 'close' };

export interface PhaseResult {
  type: 'phase';
  received: number;
  losses: number;
  duplicates: number;
  outOfOrder: number;
  /** Milliseconds from the phase reset to the last event received. */
  spanMs: number;
  latenciesMs: number[];
  stalledLatenciesMs: number[];
  open: number;
  dropped: number;
}

/** One raw-socket SSE client: dechunks HTTP/1.1, splits frames, checks ids, samples latency. */
class Client {
  readonly socket: Socket;
  readonly sampled: boolean;
  headersDone = false;
  closed = false;
  stalled = false;
  #raw = '';
  #chunkLeft = -1;
  #body = '';
  lastId = -1;
  received = 0;
  duplicates = 0;
  outOfOrder = 0;
  gaps = 0;
  latencies: number[] = [];
  lastAt = 0;

  constructor(socket: Socket, sampled: boolean, onHead: (ok: boolean) => void) {
    this.socket = socket;
    this.sampled = sampled;
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      if (this.headersDone) this.#feed(text);
      else {
        this.#raw += text;
        const end = this.#raw.indexOf('\r\n\r\n');
        if (end < 0) return;
        this.headersDone = true;
        onHead(this.#raw.startsWith('HTTP/1.1 200'));
        const rest = this.#raw.slice(end + 4);
        this.#raw = '';
        this.#feed(rest);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      if (!this.headersDone) onHead(false);
    });
    socket.on('error', () => {});
  }

  #feed(text: string): void {
    this.#raw += text;
    for (;;) {
      if (this.#chunkLeft < 0) {
        const eol = this.#raw.indexOf('\r\n');
        if (eol < 0) break;
        this.#chunkLeft = Number.parseInt(this.#raw.slice(0, eol), 16);
        this.#raw = this.#raw.slice(eol + 2);
      }
      if (this.#raw.length < this.#chunkLeft + 2) break;
      this.#body += this.#raw.slice(0, this.#chunkLeft);
      this.#raw = this.#raw.slice(this.#chunkLeft + 2);
      this.#chunkLeft = -1;
    }
    this.#frames();
  }

  #frames(): void {
    let start = 0;
    for (;;) {
      const end = this.#body.indexOf('\n\n', start);
      if (end < 0) break;
      this.#frame(this.#body.slice(start, end));
      start = end + 2;
    }
    this.#body = this.#body.slice(start);
  }

  #frame(frame: string): void {
    const at = frame.startsWith('id:') ? 0 : frame.indexOf('\nid:') + 1;
    if (at < 0 || (at === 0 && !frame.startsWith('id:'))) return;
    const eol = frame.indexOf('\n', at);
    const id = Number(frame.slice(at + 3, eol < 0 ? undefined : eol).trim());
    if (this.lastId >= 0 && id <= this.lastId) this.duplicates++;
    else {
      if (this.lastId >= 0 && id !== this.lastId + 1) this.outOfOrder++;
      this.lastId = id;
      this.received++;
    }
    this.lastAt = nowMs();
    if (this.sampled) {
      const ts = frame.indexOf('"timestamp":"');
      if (ts >= 0) this.latencies.push(this.lastAt - parseMicroTimestamp(frame.slice(ts + 13, ts + 40)));
    }
  }
}

let clients: Client[] = [];
let phaseStart = nowMs();

function open(port: number, sampled: boolean): Promise<Client | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const client: Client = new Client(socket, sampled, (ok) => resolve(ok ? client : undefined));
    socket.on('connect', () =>
      socket.write(
        `GET ${STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      ),
    );
  });
}

async function connectAll(command: Extract<LoadCommand, { type: 'connect' }>): Promise<void> {
  const startedAt = nowMs();
  let failed = 0;
  const batch = 100;
  for (let i = 0; i < command.count; i += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, command.count - i) }, (_, j) =>
        open(command.port, (i + j) % command.sampleEvery === 0),
      ),
    );
    for (const client of opened) {
      if (client) clients.push(client);
      else failed++;
    }
  }
  process.send?.({ type: 'connected', open: clients.length, failed, ms: nowMs() - startedAt });
}

function reset(): void {
  phaseStart = nowMs();
  for (const client of clients) {
    client.received = 0;
    client.duplicates = 0;
    client.outOfOrder = 0;
    client.latencies = [];
    client.lastAt = 0;
  }
}

function result(perConnection: number): PhaseResult {
  const live = clients.filter((client) => !client.stalled);
  const sum = (pick: (client: Client) => number): number => live.reduce((n, c) => n + pick(c), 0);
  const alive = live.filter((client) => !client.closed);
  const lastAt = Math.max(phaseStart, ...live.map((client) => client.lastAt));
  return {
    type: 'phase',
    received: sum((c) => c.received),
    losses: alive.reduce((n, c) => n + Math.max(0, perConnection - c.received), 0),
    duplicates: sum((c) => c.duplicates),
    outOfOrder: sum((c) => c.outOfOrder),
    spanMs: lastAt - phaseStart,
    latenciesMs: live.flatMap((client) => client.latencies),
    stalledLatenciesMs: [],
    open: clients.filter((client) => !client.closed).length,
    dropped: clients.filter((client) => client.stalled && client.closed).length,
  };
}

async function awaitPhase(command: Extract<LoadCommand, { type: 'await' }>): Promise<void> {
  const deadline = nowMs() + command.timeoutMs;
  const done = (): boolean =>
    clients.every((client) => client.stalled || client.closed || client.received >= command.perConnection);
  while (!done() && nowMs() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.send?.(result(command.perConnection));
}

function stall(fraction: number): void {
  const every = Math.round(1 / fraction);
  clients.forEach((client, i) => {
    if (i % every !== every - 1 || client.sampled) return;
    client.stalled = true;
    client.socket.pause();
  });
  process.send?.({ type: 'stalled', count: clients.filter((client) => client.stalled).length });
}

async function closeAll(): Promise<void> {
  for (const client of clients) client.socket.destroy();
  clients = [];
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.send?.({ type: 'closed' });
}

process.on('message', (command: LoadCommand) => {
  if (command.type === 'connect') void connectAll(command);
  else if (command.type === 'reset') {
    reset();
    process.send?.({ type: 'reset' });
  } else if (command.type === 'await') void awaitPhase(command);
  else if (command.type === 'stall') stall(command.fraction);
  else void closeAll();
});
process.send?.({ type: 'ready' });
