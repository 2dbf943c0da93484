import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { redisReachable } from '../redisKeys.js';
import { freePort } from './freePort.js';

/** A redis-server of the bench's own on a spare port, without persistence (never the shared one on 6379). */
export class RedisServer {
  readonly url: string;
  readonly #child: ChildProcess;

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.#child = child;
  }

  static async start(binary = process.env.BENCH_REDIS_SERVER || 'redis-server'): Promise<RedisServer> {
    const port = await freePort();
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const url = `redis://127.0.0.1:${port}`;
    const deadline = performance.now() + 10_000;
    while (!(await redisReachable(url))) {
      if (child.exitCode !== null || performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${binary} did not answer on port ${port}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new RedisServer(url, child);
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.kill('SIGTERM');
    await once(this.#child, 'exit');
  }
}
