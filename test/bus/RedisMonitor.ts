import { connect, type Socket } from 'node:net';

/** One command Redis ran, as MONITOR reports it: its arguments as sent, and the client's address. */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

interface Waiter {
  match: (command: MonitoredCommand) => boolean;
  from: number;
  resolve: (command: MonitoredCommand) => void;
}

const LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' };

/**
 * Watches every command Redis runs (MONITOR), so a test can await one instead of sleeping. It reads the MONITOR
 * stream from a plain socket: ioredis' monitor mode can take the first lines for replies on a busy server.
 */
export class RedisMonitor {
  readonly #seen: MonitoredCommand[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #socket: Socket;
  #buffer = '';

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#receive(chunk));
  }

  /** Connects and starts monitoring; resolves once Redis confirmed it. */
  static open(url: string): Promise<RedisMonitor> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port || 6379), hostname, () => {
        socket.write('MONITOR\r\n');
        socket.once('data', (first: string) => {
          if (!first.startsWith('+OK')) return reject(new Error(`MONITOR refused: ${first}`));
          const monitor = new RedisMonitor(socket);
          monitor.#receive(first.slice(first.indexOf('\n') + 1));
          resolve(monitor);
        });
      });
      socket.setEncoding('utf8');
      socket.once('error', reject);
    });
  }

  /** Marks now: a wait from the mark looks only at commands run after it. */
  mark(): number {
    return this.#seen.length;
  }

  /** The first command since `from` that matches, once Redis runs it. */
  next(match: (command: MonitoredCommand) => boolean, from = 0): Promise<MonitoredCommand> {
    const found = this.#seen.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.add({ match, from, resolve }));
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\r\n');
    while (end !== -1) {
      const line = LINE.exec(this.#buffer.slice(0, end));
      this.#buffer = this.#buffer.slice(end + 2);
      if (line)
        this.#record({ source: line[1]!, args: [...line[2]!.matchAll(QUOTED)].map((m) => unquote(m[1]!)) });
      end = this.#buffer.indexOf('\r\n');
    }
  }

  #record(command: MonitoredCommand): void {
    this.#seen.push(command);
    for (const waiter of this.#waiters) {
      if (this.#seen.length <= waiter.from || !waiter.match(command)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(command);
    }
  }
}

/** Whether a command is an XREAD that reads `key`. */
export function readsKey(key: string): (command: MonitoredCommand) => boolean {
  return ({ args }) => args[0]?.toLowerCase() === 'xread' && args.includes(key);
}

function unquote(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|.)/g, (_, code: string) =>
    code.length === 3 ? String.fromCharCode(Number.parseInt(code.slice(1), 16)) : (ESCAPES[code] ?? code),
  );
}
