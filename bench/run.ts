import { type ChildProcess, execSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { LoadCommand, PhaseResult } from './loadgen.js';
import { stockChange } from './payload.js';
import type { ServerCommand, ServerStats } from './servers/serverMain.js';
import { median, quantile, spread } from './stats.js';

/** Scaled so the whole run stays under 10 minutes on 2 cores: see RESULTS.md. */
const config = {
  repetitions: Number(process.env.BENCH_REPS ?? 3),
  small: Number(process.env.BENCH_SMALL ?? 1000),
  large: Number(process.env.BENCH_LARGE ?? 10_000),
  rates: [10, 50, 100],
  phaseMs: 800,
  burst: { size: 10, perSecond: 20 },
  largeRate: 5,
  sampleEvery: 20,
};
const HEAD_DIR = '/tmp/petstore-sse-bench-head';
const root = process.cwd();

// ---------- processes ----------

class Child {
  readonly process: ChildProcess;
  readonly #waiting: Array<{ type: string; resolve: (message: never) => void }> = [];
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
    this.process.on('message', (message: { type: string }) => {
      const at = this.#waiting.findIndex((w) => w.type === message.type);
      if (at >= 0) this.#waiting.splice(at, 1)[0]!.resolve(message as never);
    });
  }
  next<T>(type: string, command?: object): Promise<T> {
    const reply = new Promise<T>((resolve) => this.#waiting.push({ type, resolve }));
    if (command) this.process.send(command);
    return reply;
  }
}

interface Server {
  name: string;
  child: Child;
  port: number;
}

async function startServer(name: string, env: Record<string, string> = {}): Promise<Server> {
  const child = new Child('bench/servers/serverMain.ts', [name], env);
  const ready = await child.next<{ port: number }>('ready');
  return { name, child, port: ready.port };
}

const serverStats = (server: Server, gc: boolean): Promise<ServerStats> =>
  server.child.next('stats', { type: 'stats', gc } satisfies ServerCommand);
const load = <T>(loadgen: Child, type: string, command: LoadCommand): Promise<T> =>
  loadgen.next<T>(type, command);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------- workloads ----------

interface Row {
  [metric: string]: number;
}
/** results[workload][server] = one Row per repetition. */
const results = new Map<string, Map<string, Row[]>>();
function record(workload: string, server: string, row: Row): void {
  const byServer = results.get(workload) ?? new Map<string, Row[]>();
  results.set(workload, byServer);
  byServer.set(server, [...(byServer.get(server) ?? []), row]);
}

async function connectClients(loadgen: Child, server: Server, count: number): Promise<number> {
  const connected = await load<{ open: number; failed: number }>(loadgen, 'connected', {
    type: 'connect',
    port: server.port,
    count,
    sampleEvery: config.sampleEvery,
  });
  for (let i = 0; i < 100 && (await serverStats(server, false)).connections < connected.open; i++)
    await sleep(50);
  return connected.open;
}

async function broadcast(
  loadgen: Child,
  server: Server,
  open: number,
  events: { bursts: number; burstSize: number; intervalMs: number },
): Promise<Row> {
  await load(loadgen, 'reset', { type: 'reset' });
  const before = await serverStats(server, false);
  const published = server.child.next('published', { type: 'publish', ...events } satisfies ServerCommand);
  await published;
  const perConnection = events.bursts * events.burstSize;
  const phase = await load<PhaseResult>(loadgen, 'phase', {
    type: 'await',
    perConnection,
    timeoutMs: 15_000,
  });
  const after = await serverStats(server, false);
  return {
    connections: open,
    delivered: phase.received,
    eventsPerSecond: phase.received / (phase.spanMs / 1000),
    cpuMicrosPerEvent: (after.cpuMicros - before.cpuMicros) / Math.max(1, phase.received),
    capacityPerCore: (1e6 * phase.received) / Math.max(1, after.cpuMicros - before.cpuMicros),
    p50: quantile(phase.latenciesMs, 0.5),
    p99: quantile(phase.latenciesMs, 0.99),
    max: quantile(phase.latenciesMs, 1),
    losses: phase.losses,
    duplicates: phase.duplicates + phase.outOfOrder,
  };
}

async function idleMemory(loadgen: Child, server: Server, count: number): Promise<[Row, number]> {
  const base = await serverStats(server, true);
  const open = await connectClients(loadgen, server, count);
  await sleep(300);
  const held = await serverStats(server, true);
  return [
    {
      connections: open,
      rssKiB: (held.rss - base.rss) / 1024 / open,
      heapKiB: (held.heapUsed - base.heapUsed) / 1024 / open,
    },
    open,
  ];
}

async function runServer(loadgen: Child, server: Server): Promise<void> {
  const [w1small, open] = await idleMemory(loadgen, server, config.small);
  record(`W1 idle memory, ${config.small} connections`, server.name, w1small);
  // Warm-up: JIT and connection buffers, not recorded.
  await broadcast(loadgen, server, open, { bursts: 20, burstSize: 1, intervalMs: 10 });
  for (const rate of config.rates) {
    const bursts = Math.round((rate * config.phaseMs) / 1000);
    const row = await broadcast(loadgen, server, open, { bursts, burstSize: 1, intervalMs: 1000 / rate });
    record(`W2 broadcast, ${config.small} subscribers × ${rate} events/s`, server.name, row);
  }
  const { size, perSecond } = config.burst;
  const burstRow = await broadcast(loadgen, server, open, {
    bursts: Math.round((perSecond * config.phaseMs) / 1000),
    burstSize: size,
    intervalMs: 1000 / perSecond,
  });
  record(
    `W2 bursts, ${config.small} subscribers × ${size} events per tick × ${perSecond}/s`,
    server.name,
    burstRow,
  );
  await load(loadgen, 'closed', { type: 'close' });
  if (config.large > 0) {
    const [w1large, openLarge] = await idleMemory(loadgen, server, config.large);
    record(`W1 idle memory, ${config.large} connections`, server.name, w1large);
    const row = await broadcast(loadgen, server, openLarge, {
      bursts: Math.round((config.largeRate * config.phaseMs) / 1000),
      burstSize: 1,
      intervalMs: 1000 / config.largeRate,
    });
    record(`W2 broadcast, ${config.large} subscribers × ${config.largeRate} events/s`, server.name, row);
    await load(loadgen, 'closed', { type: 'close' });
  }
}

// ---------- validation share ----------

async function validationNanos(): Promise<number> {
  const { channelStreamOptions } = await import('../src/http/sse/channelStreamOptions.js');
  const { validate } = channelStreamOptions('inventoryStream');
  const payloads = Array.from({ length: 1000 }, (_, i) => stockChange(i));
  const started = process.hrtime.bigint();
  for (let round = 0; round < 200; round++)
    for (const data of payloads) if (validate('stock-change', data)) throw new Error('invalid payload');
  return Number(process.hrtime.bigint() - started) / (200 * payloads.length);
}

// ---------- report ----------

function exportHead(): string {
  const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  rmSync(HEAD_DIR, { recursive: true, force: true });
  mkdirSync(HEAD_DIR, { recursive: true });
  execSync(`git archive HEAD package.json src generated | tar -x -C ${HEAD_DIR}`);
  if (!existsSync(`${HEAD_DIR}/node_modules`))
    symlinkSync(`${root}/node_modules`, `${HEAD_DIR}/node_modules`);
  return commit;
}

const METRICS: Record<string, { label: string; digits: number }> = {
  connections: { label: 'connections', digits: 0 },
  rssKiB: { label: 'RSS KiB/conn', digits: 1 },
  heapKiB: { label: 'heap KiB/conn', digits: 1 },
  eventsPerSecond: { label: 'delivered events/s', digits: 0 },
  cpuMicrosPerEvent: { label: 'CPU µs/event', digits: 2 },
  capacityPerCore: { label: 'capacity events/s/core', digits: 0 },
  p50: { label: 'p50 ms', digits: 2 },
  p99: { label: 'p99 ms', digits: 2 },
  max: { label: 'max ms', digits: 2 },
  losses: { label: 'losses', digits: 0 },
  duplicates: { label: 'dups/reorders', digits: 0 },
};
const RATIO_METRICS = new Set([
  'rssKiB',
  'heapKiB',
  'eventsPerSecond',
  'cpuMicrosPerEvent',
  'capacityPerCore',
  'p99',
]);

function table(byServer: Map<string, Row[]>): string {
  const metrics = Object.keys(byServer.values().next().value?.[0] ?? {});
  const raw = byServer.get('raw');
  const header = ['server', ...metrics.map((m) => METRICS[m]?.label ?? m)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [name, rows] of byServer) {
    const cells = metrics.map((metric) => {
      const values = rows.map((row) => row[metric]!);
      let cell = spread(values, METRICS[metric]?.digits ?? 1);
      if (raw && name !== 'raw' && RATIO_METRICS.has(metric)) {
        const ratio = median(values) / median(raw.map((row) => row[metric]!));
        if (Number.isFinite(ratio)) cell += ` (${ratio.toFixed(2)}×)`;
      }
      return cell;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function medianOf(workload: string, server: string, metric: string): number {
  return median((results.get(workload)?.get(server) ?? []).map((row) => row[metric]!));
}

function targets(validationShare: number): string {
  const at50 = `W2 broadcast, ${config.small} subscribers × 50 events/s`;
  const idle = `W1 idle memory, ${config.small} connections`;
  const bursts = [...results.keys()].find((name) => name.startsWith('W2 bursts')) ?? '';
  const large = `W1 idle memory, ${config.large} connections`;
  const ratio = (workload: string, metric: string): number =>
    medianOf(workload, 'ours', metric) / medianOf(workload, 'raw', metric);
  const rows: Array<[string, string, boolean]> = [
    [
      'CPU per delivered event ≤ 1.15× raw (1k × 50/s, validation on)',
      `${ratio(at50, 'cpuMicrosPerEvent').toFixed(2)}×`,
      ratio(at50, 'cpuMicrosPerEvent') <= 1.15,
    ],
    [
      'idle memory per connection ≤ 1.15× raw (1k, RSS / heap)',
      `${ratio(idle, 'rssKiB').toFixed(2)}× / ${ratio(idle, 'heapKiB').toFixed(2)}×`,
      ratio(idle, 'rssKiB') <= 1.15 && ratio(idle, 'heapKiB') <= 1.15,
    ],
    [
      'bursts: capacity ≥ 2× raw at ≤ 3 µs CPU/event',
      `${ratio(bursts, 'capacityPerCore').toFixed(2)}×, ${medianOf(bursts, 'ours', 'cpuMicrosPerEvent').toFixed(2)} µs`,
      ratio(bursts, 'capacityPerCore') >= 2 && medianOf(bursts, 'ours', 'cpuMicrosPerEvent') <= 3,
    ],
    [
      'p99 at 1k × 50/s no worse than raw',
      `${medianOf(at50, 'ours', 'p99').toFixed(1)} ms vs ${medianOf(at50, 'raw', 'p99').toFixed(1)} ms`,
      ratio(at50, 'p99') <= 1,
    ],
    [
      `${config.large} connections held`,
      `${medianOf(large, 'ours', 'connections')}`,
      medianOf(large, 'ours', 'connections') >= config.large,
    ],
    ['validation < 2% of fan-out CPU', `${(validationShare * 100).toFixed(3)}%`, validationShare < 0.02],
  ];
  return [
    '| target | ours | met |',
    '|---|---|---|',
    ...rows.map(([target, value, met]) => `| ${target} | ${value} | ${met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

function report(meta: { commit: string; validationNs: number; minutes: number; ulimit: string }): string {
  const sections = [...results].map(([workload, byServer]) => `### ${workload}\n\n${table(byServer)}`);
  const fanOut = results.get(`W2 broadcast, ${config.small} subscribers × 50 events/s`)?.get('ours') ?? [];
  const cpuPerEvent = median(fanOut.map((row) => row.cpuMicrosPerEvent!));
  const shareOnce = meta.validationNs / (cpuPerEvent * 1000 * config.small);
  const sharePerSubscriber = meta.validationNs / (cpuPerEvent * 1000);
  return `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()} (whole run: ${meta.minutes.toFixed(1)} min).

- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, \`ulimit -n\` ${meta.ulimit}.
- Each server runs in its own process; one load generator process holds raw \`net\` sockets (HTTP/1.1,
  dechunked by hand), counts ids per connection and checks their order; publish→receive latency is
  sampled on every ${config.sampleEvery}th client from the microsecond \`timestamp\` the event carries.
- ${config.repetitions} repetitions, servers interleaved within each; cells are \`median [min–max]\`, \`(n×)\` the ratio
  to the raw median. CPU µs/event = server \`process.cpuUsage()\` delta / events delivered.
- Scaled to fit 10 minutes on this machine: phases of ${config.phaseMs} ms, rates ${config.rates.join(', ')} events/s
  at ${config.small} subscribers, ${config.largeRate} events/s at ${config.large}; bursts of ${config.burst.size} events in one tick, ${config.burst.perSecond}/s.
- The load generator shares the ${cpus().length} cores with the server under test: at the higher rates delivered events/s
  and latency are bounded by the client too (read CPU µs/event, measured in the server alone, for cost).
  Idle memory is the growth after a forced GC divided by connections; RSS is noisier than heap.
- Servers: **raw** = node:http writing a pre-serialised frame per event per client (the ceiling);
  **ours** = this working tree (full Koa app, generated validators, in-memory event log, inventory route);
  **ours@${meta.commit}** = the last commit, the "before"; better-sse, @fastify/sse + fastify, Hono \`streamSSE\`
  + @hono/node-server at the versions pinned in package.json.
- Validation: a compiled \`stock-change\` check costs ${meta.validationNs.toFixed(0)} ns. At ours' ${cpuPerEvent.toFixed(2)} µs per
  delivered event (1k × 50/s), validating once per event is ${(shareOnce * 100).toFixed(3)}% of fan-out CPU; validating per
  subscriber (before) would be ${(sharePerSubscriber * 100).toFixed(2)}%.

## Targets (ours vs raw, medians)

${targets(shareOnce)}

${sections.join('\n\n')}
`;
}

// ---------- main ----------

const startedAt = performance.now();
const commit = exportHead();
const names = ['raw', 'ours', `ours@${commit}`, 'better-sse', '@fastify/sse', 'hono streamSSE'];
const only = process.env.BENCH_SERVERS?.split(',');
const servers: Server[] = [];
for (const name of names.filter(
  (n) => !only || only.includes(n) || (n.startsWith('ours@') && only.includes('ours@head')),
)) {
  servers.push(await startServer(name, name.startsWith('ours@') ? { OURS_ROOT: HEAD_DIR } : {}));
}
const loadgen = new Child('bench/loadgen.ts', []);
await loadgen.next('ready');
for (let rep = 0; rep < config.repetitions; rep++) {
  const order = rep % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) {
    const t = performance.now();
    await runServer(loadgen, server);
    console.log(`rep ${rep + 1}: ${server.name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}
const validationNs = await validationNanos();
const ulimit = execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/bash' }).trim();
const text = report({ commit, validationNs, minutes: (performance.now() - startedAt) / 60_000, ulimit });
writeFileSync('bench/RESULTS.md', text);
console.log(text);
for (const server of servers) server.child.process.kill();
loadgen.process.kill();
