import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sparePort } from './sparePort.js';

const run = promisify(execFile);

/**
 * A redis-server of the fault suite's own, on a spare port (never the shared 6379), without persistence
 * unless asked: `save()` writes its snapshot, `restoreSnapshot()` puts a copy of an older one in place.
 */
export class RedisServer {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a new, empty Redis. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await sparePort(), await mkdtemp(path.join(os.tmpdir(), 'faults-redis-')));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port, loading `dump.rdb` from its folder if there is one. */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...['--dir', this.dir, '--dbfilename', 'dump.rdb'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void this.#exited.then(() => reject(new Error(`redis-server exited at start:\n${output}`)));
    });
  }

  /** Runs a redis-cli command against it, e.g. `SAVE`. */
  async command(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args]);
    return stdout.trim();
  }

  /** Stops it (SIGTERM; with `--save ""` it writes no snapshot) and waits until it is gone. */
  async stop(): Promise<void> {
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    await this.#exited;
  }

  /** Freezes it (SIGSTOP): connections stay open, nothing is answered. */
  freeze(): void {
    this.signal('SIGSTOP');
  }

  /** Wakes it after `freeze()`. */
  thaw(): void {
    this.signal('SIGCONT');
  }

  /** Writes a snapshot now (SAVE) and keeps a copy of it under `name`. */
  async save(name: string): Promise<void> {
    if ((await this.command('SAVE')) !== 'OK') throw new Error('redis SAVE failed');
    await copyFile(path.join(this.dir, 'dump.rdb'), path.join(this.dir, name));
  }

  /** Puts the snapshot kept as `name` in place, to be loaded by the next `start()`. Stop it first. */
  async restoreSnapshot(name: string): Promise<void> {
    await copyFile(path.join(this.dir, name), path.join(this.dir, 'dump.rdb'));
  }

  /** Removes its snapshot, so the next `start()` begins empty. */
  async forgetSnapshot(): Promise<void> {
    await rm(path.join(this.dir, 'dump.rdb'), { force: true });
  }

  /** Stops it and removes its folder. */
  async dispose(): Promise<void> {
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) {
      this.signal('SIGCONT');
      this.signal('SIGKILL');
      await this.#exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private signal(signal: NodeJS.Signals): void {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
