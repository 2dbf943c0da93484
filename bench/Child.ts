import { type ChildProcess, fork } from 'node:child_process';

/**
 * A forked bench process (a server under test or the load generator) spoken to over IPC: each command is
 * answered by one message, matched by its `type`. A `failed` message or the process exiting rejects what
 * is awaited, so a broken child stops the bench instead of hanging it.
 */
export class Child {
  readonly process: ChildProcess;
  readonly #waiting: Array<{ type: string; resolve: (message: never) => void; reject: (e: Error) => void }> =
    [];

  constructor(script: string, args: string[], env: Record<string, string> = {}) {
    this.process = fork(script, args, {
      execArgv: [
        '--expose-gc',
        '--import',
        'tsx',
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (message: { type: string; error?: string }) => {
      if (message.type === 'failed') {
        this.#waiting.shift()?.reject(new Error(`${script} ${args.join(' ')}: ${message.error}`));
        return;
      }
      const at = this.#waiting.findIndex((w) => w.type === message.type);
      if (at >= 0) this.#waiting.splice(at, 1)[0]!.resolve(message as never);
    });
    this.process.on('exit', (code, signal) => {
      for (const waiting of this.#waiting.splice(0)) {
        waiting.reject(new Error(`${script} ${args.join(' ')} exited (${code ?? signal})`));
      }
    });
  }

  /** Sends `command` (if any) and resolves with the next message of `type`. */
  next<T>(type: string, command?: object): Promise<T> {
    const reply = new Promise<T>((resolve, reject) => this.#waiting.push({ type, resolve, reject }));
    if (command) this.process.send(command);
    return reply;
  }

  /** Asks the process to exit (SIGTERM lets `--cpu-prof` write its profile). */
  stop(): void {
    this.process.kill();
  }
}
