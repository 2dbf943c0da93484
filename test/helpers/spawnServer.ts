import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');

/** A server process started from src/main.ts, as a user would run it. */
export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** Every log line it printed (pino JSON), parsed. */
  logs: Record<string, unknown>[];
  /** Kills it with `signal` (default SIGKILL) and resolves with its exit code or signal once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** How the server is started by default: from its sources. */
const FROM_SOURCES: readonly string[] = [process.execPath, '--import', 'tsx', 'src/main.ts'];

/**
 * Starts `node --import tsx src/main.ts` (or `command`, e.g. `npm start`) with `env` on a free port (PORT=0)
 * and resolves once it logs that it listens; rejects with its output if it exits first or takes longer than
 * `timeoutMs`.
 */
export function spawnServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
  command: readonly string[] = FROM_SOURCES,
): Promise<ServerProcess> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    // One process per server unless a test asks for WORKERS: with DATABASE_URL and REDIS_URL the default is one
    // worker per core, whose per-process state (fallback limits, logs) the tests would see split.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not a log line (a stray console message); nothing to parse
      }
      logs.push(entry);
      if (typeof entry.port === 'number' && String(entry.msg).includes('listening')) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${entry.port}`,
          process: child,
          logs,
          kill: (signal = 'SIGKILL') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}

/**
 * Starts one server per `envs` entry at once; if any fails to start, kills those that did before rejecting, so
 * a failed `beforeAll` leaves no process behind.
 */
export async function spawnServers(
  envs: readonly Record<string, string>[],
  timeoutMs = 30_000,
): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(envs.map((env) => spawnServer(env, timeoutMs)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed === undefined)
    return started.map((result) => (result as PromiseFulfilledResult<ServerProcess>).value);
  await Promise.all(
    started.map((result) => (result.status === 'fulfilled' ? result.value.kill() : undefined)),
  );
  throw failed.reason;
}
