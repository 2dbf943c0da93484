import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, spread } from './stats.js';

/**
 * `npm run bench:startup`: how long each way of starting takes from process start (spawn) to the first
 * `/healthz` 200, over STARTUP_RUNS interleaved runs (default 5), beside a raw node:http server started the
 * same way in the same run. Writes the table to bench/STARTUP.md (STARTUP_OUT) and prints it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
const OUT = process.env.STARTUP_OUT ?? path.join(root, 'bench/STARTUP.md');
const SERVER = path.join(root, 'dist/server/main.js');
/** The kernel's clock tick for /proc times (USER_HZ), 100 on Linux. */
const CLOCK_TICKS_PER_S = 100;
const RAW = "require('node:http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,process.env.HOST)";

interface Way {
  name: string;
  /** Its budget in ms, if it has one. */
  budgetMs?: number;
  /** The command and the data folder it runs on. */
  command(dataDir: string): [string, string[]];
  /** A new data folder for every run (a first start), or one kept across runs (a warm start). */
  fresh: boolean;
}

const WAYS: Way[] = [
  { name: 'raw node:http server', command: () => [process.execPath, ['-e', RAW]], fresh: false },
  {
    name: 'server, existing DATA_DIR (warm)',
    budgetMs: 1500,
    command: () => [process.execPath, [SERVER]],
    fresh: false,
  },
  {
    name: 'server, new DATA_DIR (first start)',
    budgetMs: 8000,
    command: () => [process.execPath, [SERVER]],
    fresh: true,
  },
  {
    name: '`npm start`, existing DATA_DIR, built',
    command: () => ['npm', ['start', '--silent']],
    fresh: false,
  },
];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function untilHealthy(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before /healthz answered`);
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** CPU ms (user + system, all threads) the process has used so far, from /proc; NaN where there is none. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return stat ? (ticks * 1000) / CLOCK_TICKS_PER_S : Number.NaN;
}

/**
 * One start: ms from spawn to the first /healthz 200, and the CPU ms the spawned process used until then
 * (for `npm start`, npm's own); then SIGTERM to the spawned pid and its exit.
 */
async function timeStart(way: Way, dataDir: string): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const [command, args] = way.command(dataDir);
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  };
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await untilHealthy(`http://127.0.0.1:${port}/healthz`, child);
    const wall = performance.now() - started;
    return { wall, cpu: await cpuMs(child.pid!) };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}

const work = await mkdtemp(path.join(os.tmpdir(), 'petstore-startup-'));
try {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const warmDir = path.join(work, 'warm');
  await timeStart(WAYS[1]!, warmDir); // creates the warm data folder
  const times = new Map<Way, number[]>(WAYS.map((way) => [way, []]));
  const cpu = new Map<Way, number[]>(WAYS.map((way) => [way, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const way of WAYS) {
      const dataDir = way.fresh ? path.join(work, `fresh-${run}`) : warmDir;
      const measured = await timeStart(way, dataDir);
      times.get(way)!.push(measured.wall);
      cpu.get(way)!.push(measured.cpu);
      if (way.fresh) await rm(dataDir, { recursive: true, force: true });
    }
  }
  const raw = median(times.get(WAYS[0]!)!);
  const rows = WAYS.map((way) => {
    const ms = times.get(way)!;
    const seconds = spread(
      ms.map((value) => value / 1000),
      2,
    );
    const budget =
      way.budgetMs === undefined
        ? ''
        : `≤ ${way.budgetMs / 1000} s: ${median(ms) <= way.budgetMs ? 'met' : 'MISSED'}`;
    const cpuSeconds =
      way.command('')[0] === 'npm'
        ? ''
        : spread(
            cpu.get(way)!.map((value) => value / 1000),
            2,
          );
    return `| ${way.name} | ${seconds} | ${(median(ms) / raw).toFixed(1)}× | ${cpuSeconds} | ${budget} |`;
  });
  const table = [
    `Start-up to the first \`/healthz\` 200, seconds, median [min–max] of ${RUNS} interleaved runs`,
    `(${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}):`,
    '',
    '| start | seconds | × raw | CPU seconds until then | budget |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(table);
  await writeFile(OUT, `# Start-up (npm run bench:startup)\n\n${table}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
