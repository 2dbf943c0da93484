import { stockChange } from '../payload.js';
import type { BenchServer } from './BenchServer.js';
import { startBetterSse } from './betterSse.js';
import { startFastifySse } from './fastifySse.js';
import { startHono } from './hono.js';
import { startOurs } from './ours.js';
import { startRaw } from './raw.js';

/** Messages from the bench runner (over the fork IPC channel). */
export type ServerCommand =
  | { type: 'stats'; gc: boolean }
  | { type: 'publish'; bursts: number; burstSize: number; intervalMs: number };

export interface ServerStats {
  type: 'stats';
  rss: number;
  heapUsed: number;
  external: number;
  cpuMicros: number;
  connections: number;
}

const kind = process.argv[2] ?? 'raw';
const starters: Record<string, () => Promise<BenchServer>> = {
  raw: startRaw,
  ours: () => startOurs(process.env.OURS_ROOT ?? process.cwd()),
  'better-sse': startBetterSse,
  '@fastify/sse': startFastifySse,
  'hono streamSSE': startHono,
};
const start = starters[kind.startsWith('ours') ? 'ours' : kind];
if (!start) throw new Error(`unknown server ${kind}`);
const server = await start();
let seq = 0;

function stats(): ServerStats {
  const usage = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    type: 'stats',
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external + memory.arrayBuffers,
    cpuMicros: usage.user + usage.system,
    connections: server.connections(),
  };
}

function publish(command: Extract<ServerCommand, { type: 'publish' }>): void {
  let sent = 0;
  const startedAt = performance.now();
  const burst = (): void => {
    const events = Array.from({ length: command.burstSize }, () => stockChange(++seq));
    server.publish(events);
    const next = startedAt + ++sent * command.intervalMs;
    if (sent < command.bursts) setTimeout(burst, Math.max(0, next - performance.now()));
    else process.send?.({ type: 'published', events: sent * command.burstSize });
  };
  burst();
}

process.on('message', (command: ServerCommand) => {
  if (command.type === 'stats') {
    if (command.gc) {
      globalThis.gc?.();
      globalThis.gc?.();
    }
    process.send?.(stats());
  } else publish(command);
});
// An exit on SIGTERM (not the default kill) lets `--cpu-prof` write its profile.
process.on('SIGTERM', () => process.exit(0));
process.send?.({ type: 'ready', port: server.port });
