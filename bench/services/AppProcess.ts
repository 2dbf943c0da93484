import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { procCpuMicros } from '../procCpu.js';
import { freePort } from './freePort.js';

/**
 * The compiled server of a checkout (`node <root>/dist/server/main.js`, as `npm start` runs it) in its own
 * process on a spare port, its output in a log file; ready once `/readyz` answers 200.
 */
export class AppProcess {
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  readonly #child: ChildProcess;

  private constructor(name: string, port: number, logFile: string, child: ChildProcess) {
    this.name = name;
    this.port = port;
    this.logFile = logFile;
    this.#child = child;
  }

  /** Starts it; the log file is removed again by a clean `stop`. */
  static async start(name: string, root: string, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const logFile = path.join(tmpdir(), `petstore-sse-bench-${name.replace(/\W+/g, '-')}-${port}.log`);
    const log = openSync(logFile, 'w');
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
    const child = spawn(process.execPath, [...profile, path.join(root, 'dist/server/main.js')], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    });
    const app = new AppProcess(name, port, logFile, child);
    const deadline = performance.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${name} did not become ready (exit ${child.exitCode}): ${app.logTail()}`);
      }
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) return app;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** CPU µs (user + system, all threads) the process has used so far, from /proc (10 ms resolution). */
  cpuMicros(): Promise<number> {
    return procCpuMicros(this.pid);
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    const [code] = await exited;
    clearTimeout(timer);
    // A clean stop leaves nothing to read; a failed start reported its log's tail already.
    if (code === 0) rmSync(this.logFile, { force: true });
  }
}
