import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sparePort } from './sparePort.js';

/**
 * The checkout whose compiled server the suite runs: this one, or FAULTS_SERVER_ROOT (another checkout,
 * already built: e.g. the commit before a change, to compare).
 */
export const SERVER_ROOT = process.env.FAULTS_SERVER_ROOT || path.resolve(import.meta.dirname, '../../..');

/** The compiled server, as `npm start` runs it (`npm run build` makes it; the suite's global setup too). */
const COMPILED_SERVER = [process.execPath, 'dist/server/main.js'];

/** How an instance ended: its exit code, or the signal that killed it. */
export type Ending = { code: number | null; signal: NodeJS.Signals | null };

/**
 * One real server process of a scenario, on a port of its own. `start()` resolves once `/readyz` answers
 * 200; `ending` tells whether it died by itself (a crash), and `output` keeps what it printed to say why.
 */
export class ServerInstance {
  url = '';
  output = '';
  ending: Ending | undefined;
  #child: ChildProcess | undefined;
  #exited: Promise<Ending> = Promise.resolve({ code: null, signal: null });

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.ending === undefined;
  }

  /** Starts the process (again, on a new spare port) and waits until `/readyz` answers 200. */
  async start(timeoutMs = 60_000): Promise<this> {
    this.ending = undefined;
    const port = await sparePort();
    const child = spawn(COMPILED_SERVER[0]!, COMPILED_SERVER.slice(1), {
      cwd: SERVER_ROOT,
      env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...this.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.ending = { code, signal };
        resolve(this.ending);
      }),
    );
    child.stdout!.on('data', (chunk: Buffer) => this.#keep(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => this.#keep(chunk.toString()));
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    while (!(await this.answers('/readyz'))) {
      if (this.ending) throw new Error(`${this.name} exited (${describe(this.ending)}):\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this;
  }

  /** True when `path` answers 200 within a second. */
  async answers(path: string): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false; // refused, reset or timed out: not answering
    }
  }

  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Ending> {
    if (this.running) this.#child!.kill(signal);
    return this.#exited;
  }

  /** The log lines at `level` or above that it printed (pino JSON: 40 warn, 50 error, 60 fatal). */
  logsAtLeast(level: number): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => typeof entry.level === 'number' && entry.level >= level);
  }

  #keep(text: string): void {
    // The start of a crash is what tells its cause; keep the first 200 kB.
    if (this.output.length < 200_000) this.output += text;
  }
}

export function describe(ending: Ending): string {
  return ending.signal ?? `code ${ending.code}`;
}
