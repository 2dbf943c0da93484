import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { openStore } from '../../store/index.js';
import { ClusterMetrics } from './ClusterMetrics.js';

/** The environment variable that tells a forked worker its slot (1…WORKERS), kept when it is replaced. */
export const WORKER_SLOT_ENV = 'PETSTORE_WORKER_SLOT';

/** A worker that lived at least this long before dying is restarted after the shortest delay again. */
const STABLE_MS = 30_000;
const FIRST_RESTART_MS = 250;
const LONGEST_RESTART_MS = 30_000;

/** Delay before the next restart of a slot whose workers died `failures` times in a row, each young. */
function restartDelayMs(failures: number): number {
  return Math.min(LONGEST_RESTART_MS, FIRST_RESTART_MS * 2 ** failures);
}

interface Slot {
  readonly slot: number;
  worker: Worker | undefined;
  startedAt: number;
  /** Deaths in a row of workers that lived less than STABLE_MS. */
  failures: number;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * The primary of `WORKERS` > 1: applies migrations (and seeds an empty catalog) once, then forks one worker
 * per slot, each a full instance on the shared Postgres and Redis listening on the one port (node:cluster
 * hands it the connections); it serves no request itself. A worker that dies is logged and forked again
 * after a delay that doubles while its successors keep dying young (250 ms up to 30 s). SIGTERM or SIGINT
 * passes SIGTERM to every worker, each draining its streams as a single process does, and exits 0 once all
 * exited 0; a second signal kills them at once and exits 1. `/metrics` on any worker answers every worker's
 * series (see `ClusterMetrics`). Resolves once the workers are forked.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const log = logger.child({ role: 'primary' });
  const store = await openStore({ databaseUrl: config.databaseUrl });
  await store.close();

  const slots: Slot[] = Array.from({ length: config.workers }, (_, i) => ({
    slot: i + 1,
    worker: undefined,
    startedAt: 0,
    failures: 0,
    restartTimer: undefined,
  }));
  const workerEnv = sharedDevKey(config, log);
  const listening = new Set<Worker>();
  const metrics = new ClusterMetrics(() => listening);
  let stopping = false;
  let announced = false;

  const fork = (slot: Slot): void => {
    slot.restartTimer = undefined;
    slot.startedAt = performance.now();
    const worker = cluster.fork({ ...workerEnv, [WORKER_SLOT_ENV]: String(slot.slot) });
    slot.worker = worker;
    worker.on('message', (message: unknown) => metrics.onMessage(worker, message));
    worker.process.on('error', (error) =>
      log.warn({ err: error, worker: slot.slot }, 'worker channel error'),
    );
    worker.on('listening', (address) => {
      listening.add(worker);
      if (announced || listening.size < slots.length) return;
      announced = true;
      log.info(
        { port: address.port, workers: slots.length, pids: slots.map((s) => s.worker?.process.pid) },
        `petstore-sse listening on port ${address.port} with ${slots.length} workers`,
      );
    });
    worker.on('exit', (code, signal) => {
      listening.delete(worker);
      slot.worker = undefined;
      if (stopping) return;
      const lived = performance.now() - slot.startedAt;
      slot.failures = lived >= STABLE_MS ? 0 : slot.failures + 1;
      const delayMs = restartDelayMs(Math.max(0, slot.failures - 1));
      metrics.restarts.inc({ worker: String(slot.slot) });
      log.error(
        {
          worker: slot.slot,
          workerPid: worker.process.pid,
          code,
          signal,
          livedMs: Math.round(lived),
          restartInMs: delayMs,
        },
        'worker died; forking a new one',
      );
      slot.restartTimer = setTimeout(() => fork(slot), delayMs);
    });
  };
  for (const slot of slots) fork(slot);

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal while shutting down; killing the workers');
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, workers: listening.size }, 'shutting down');
    for (const slot of slots) clearTimeout(slot.restartTimer);
    void shutDownWorkers(slots, config).then((clean) => {
      log.info({ clean }, 'shut down');
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Dev mode signs access tokens with a random key of each process, so a token one worker issued would fail on
 * the others: the primary draws one key for all of them instead, passed as AUTH_JWT_SECRET with AUTH_DEV_TOKENS
 * as configured (HS256 and the default issuer and audience, as in dev mode). Nothing otherwise.
 */
function sharedDevKey(config: Config, log: Logger): Record<string, string> {
  const { settings } = config.auth;
  if (settings.key.kind !== 'dev') return {};
  log.warn(
    'AUTH DEV MODE: no AUTH_JWT_SECRET or AUTH_JWKS_URL is set, so the workers sign access tokens with a random ' +
      'key of this run, and POST /v1/dev/tokens gives anyone a token for any user. Fine on your machine; never ' +
      'expose it. Set AUTH_JWT_SECRET or AUTH_JWKS_URL (docs/security.md).',
  );
  return {
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    AUTH_DEV_TOKENS: settings.devTokens ? 'true' : 'false',
  };
}

/**
 * Sends SIGTERM to every worker (their own graceful shutdown) and waits for all to exit; a worker still there
 * after its shutdown window and 5 s more is killed. True when every worker exited 0.
 */
async function shutDownWorkers(slots: readonly Slot[], config: Config): Promise<boolean> {
  const graceMs = config.shutdown.spreadMs + config.shutdown.timeoutMs + 5000;
  const exits = slots.flatMap((slot) => {
    const worker = slot.worker;
    if (!worker) return [];
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs);
      worker.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
      worker.process.kill('SIGTERM');
    });
  });
  return (await Promise.all(exits)).every(Boolean);
}
