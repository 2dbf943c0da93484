import { execSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Child } from '../Child.js';
import { AppProcess } from '../services/AppProcess.js';
import { sleep } from './WorkloadContext.js';

/** Memory of a set of processes after a forced GC, summed. */
export interface Memory {
  rss: number;
  heapUsed: number;
}

/** A W9 server under test: a node:cluster primary and its workers, all on one port. */
export interface ClusterUnderTest {
  readonly name: string;
  readonly port: number;
  /** The primary and every worker (CPU is summed over all of them). */
  pids(): number[];
  workerPids(): number[];
  /** One event to every stream; resolves when the server accepted it. */
  publish(index: number, newStock: number): Promise<void>;
  stop(): Promise<void>;
  /** How the streams are spread over the workers, as the server reports it. */
  spread?(): Promise<string>;
}

const PROBE = pathToFileURL(path.resolve(import.meta.dirname, '../servers/memoryProbe.mjs')).href;

/** What makes every process of a W9 server answer SIGUSR2 with its memory (see servers/memoryProbe.mjs). */
export const probeEnv = (dir: string): Record<string, string> => ({
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --import=${PROBE}`.trim(),
  BENCH_PROBE_DIR: dir,
});

/** The node processes `pid` forked (a cluster's workers; not tsx's esbuild service). */
export function childPids(pid: number): number[] {
  const out = execSync(`ps -o pid=,comm= --ppid ${pid} || true`, { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command === 'node')
    .map(([child]) => Number(child));
}

/** Forces a GC in each of `pids` and sums their memory (each writes `<dir>/<pid>.json` on SIGUSR2). */
export async function probeMemory(dir: string, pids: number[]): Promise<Memory> {
  const files = pids.map((pid) => path.join(dir, `${pid}.json`));
  for (const file of files) rmSync(file, { force: true });
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + 60_000;
  while (!files.every(existsSync)) {
    if (performance.now() > deadline) throw new Error(`no memory probe answer from ${pids.join(', ')}`);
    await sleep(50);
  }
  let rss = 0;
  let heapUsed = 0;
  for (const file of files) {
    const memory = JSON.parse(readFileSync(file, 'utf8')) as Memory;
    rss += memory.rss;
    heapUsed += memory.heapUsed;
  }
  return { rss, heapUsed };
}

/** CPU µs (user + system) each process has used so far, from /proc (10 ms resolution). */
export async function cpuMicros(pids: number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  }
  return total;
}

/**
 * Ours: the compiled server with WORKERS on a Postgres database and a Redis of the bench's own, caps raised
 * for the bench (MAX_STREAMS, MAX_STREAMS_PER_CLIENT, no per-address connection cap, no REST rate limit). Events come from real PATCH writes.
 * Ready once `/metrics` counts every worker.
 */
export async function startOursCluster(options: {
  root: string;
  workers: number;
  env: Record<string, string>;
  writeHeaders: (base: string, petId: string) => Promise<Record<string, string>>;
}): Promise<ClusterUnderTest> {
  const app = await AppProcess.start('ours-w9', options.root, {
    ...options.env,
    WORKERS: String(options.workers),
  });
  const base = `http://127.0.0.1:${app.port}`;
  try {
    const deadline = performance.now() + 120_000;
    while ((await workersListening(base)) < options.workers) {
      if (performance.now() > deadline) throw new Error(`ours: not all ${options.workers} workers listen`);
      await sleep(200);
    }
    const { items } = (await (await fetch(`${base}/v1/inventory`)).json()) as {
      items: Array<{ petId: string }>;
    };
    const petId = items[0]!.petId;
    const headers = {
      'content-type': 'application/json',
      ...(await options.writeHeaders(base, petId)),
    };
    return {
      name: 'ours',
      port: app.port,
      pids: () => [app.pid, ...childPids(app.pid)],
      workerPids: () => childPids(app.pid),
      async publish(_index, newStock) {
        const response = await fetch(`${base}/v1/inventory/${petId}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ stock: newStock }),
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`PATCH answered ${response.status}`);
      },
      stop: () => app.stop(),
      spread: async () =>
        (await (await fetch(`${base}/metrics`)).text())
          .split('\n')
          .filter((line) => line.startsWith('sse_streams_open{'))
          .map((line) => `${/worker="(\d+)"/.exec(line)?.[1]}: ${line.split(' ')[1]}`)
          .join(', '),
    };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

async function workersListening(base: string): Promise<number> {
  const text = await fetch(`${base}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  return Number(/^cluster_workers (\d+)$/m.exec(text)?.[1] ?? 0);
}

/** Raw node:http in node:cluster with as many workers (bench/servers/rawCluster.ts). */
export async function startRawCluster(
  workers: number,
  env: Record<string, string>,
): Promise<ClusterUnderTest> {
  const child = new Child('bench/servers/rawCluster.ts', [String(workers)], env);
  const ready = await child.next<{ port: number }>('ready');
  const pid = child.process.pid ?? 0;
  return {
    name: 'raw',
    port: ready.port,
    pids: () => [pid, ...childPids(pid)],
    workerPids: () => childPids(pid),
    async publish(index, newStock) {
      const data = JSON.stringify({
        petId: 'raw',
        oldStock: newStock - 1,
        newStock,
        timestamp: new Date().toISOString(),
      });
      await child.next('published', {
        type: 'publish',
        frame: `id: ${index + 1}\nevent: stock-change\ndata: ${data}\n\n`,
      });
    },
    async stop() {
      const exited = new Promise((resolve) => child.process.once('exit', resolve));
      child.stop();
      await exited;
    },
  };
}
