import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { readConfig } from './config.js';
import { exportHead } from './headExport.js';
import { LoadGenerator } from './LoadGenerator.js';
import { parserSelfTest } from './loadgen/parserSelfTest.js';
import { runRepetition, serverPlans } from './plan.js';
import { Results } from './Results.js';
import { deleteKeys, redisReachable } from './redisKeys.js';
import { carryBlocks, mergeIssue17, replaceBlock } from './report/issue17.js';
import { w8Block, w8TargetRows } from './report/w8Report.js';
import { writeReport } from './report/writeReport.js';
import { ServerProcess } from './ServerProcess.js';
import { Timings } from './Timings.js';
import { validationNanos } from './validationCost.js';
import type { WorkloadContext } from './workloads/WorkloadContext.js';
import { w2BurstSection, w2RateSection } from './workloads/w2Broadcast.js';
import { W6_RATE, w6BurstSection, w6RateSection } from './workloads/w6EventLog.js';
import { runW7 } from './workloads/w7Run.js';
import { runW8 } from './workloads/w8Run.js';
import { runW9 } from './workloads/w9ManyStreams.js';

parserSelfTest();
const config = readConfig();
const startedAt = performance.now();
const loadAtStart = loadavg()[0]!;
const results = new Results();
const timings = new Timings();
const skipped: string[] = [];

const clock = (): string => {
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/** Times `work` under `part` (a workload id or setup) and prints a progress line. */
async function timed<T>(prefix: string, part: string, server: string, label: string, work: () => Promise<T>) {
  const t = performance.now();
  const value = await work();
  const ms = performance.now() - t;
  timings.add(part, server, ms);
  console.log(`[${clock().padStart(5)}] ${prefix}${label}: ${(ms / 1000).toFixed(1)} s`);
  return value;
}

const head = exportHead(process.cwd());
const headName = `ours@${head.commit}`;
let redis: { url: string; keyPrefix: string } | undefined;
if (config.only.has('W6') && config.redisUrl) {
  if (await redisReachable(config.redisUrl)) {
    redis = { url: config.redisUrl, keyPrefix: `petstore-sse-bench-${Date.now()}-${process.pid}:` };
  } else skipped.push(`W6: no Redis answered at ${config.redisUrl}`);
} else if (config.only.has('W6')) skipped.push('W6: BENCH_REDIS_URL is empty');

const plans = serverPlans(config, { name: headName, dir: head.dir }, redis);
console.log(
  `bench: ${config.repetitions} repetitions of ${[...config.only].join(',')} on ${plans.map((p) => p.name).join(', ')}`,
);
const servers = new Map<string, ServerProcess>();
let loadgen: LoadGenerator | undefined;
try {
  // Setup in parallel: every server process (ours opens its PGlite store, then places W3's orders as soon
  // as it is up) and the load generator.
  const label = plans.some((plan) => plan.workloads.has('W3'))
    ? `start servers and load generator, place ${config.orders * config.repetitions} orders (W3)`
    : 'start servers and load generator';
  const started = await timed('', 'setup', 'all', label, () =>
    Promise.all([
      LoadGenerator.start(),
      ...plans.map(async (plan) => {
        const server = await ServerProcess.start(plan.name, plan.kind, plan.env);
        // Every repetition follows orders of its own: an order whose live statuses reached `shipped` in one
        // repetition has a finished stream (its history in the outbox) in the next.
        if (plan.workloads.has('W3')) await server.prepareOrders(config.orders * config.repetitions);
        return server;
      }),
    ]),
  );
  loadgen = started[0];
  for (const server of started.slice(1) as ServerProcess[]) servers.set(server.name, server);

  for (let rep = 0; rep < config.repetitions; rep++) {
    const order = rep % 2 === 0 ? plans : [...plans].reverse();
    for (const plan of order) {
      const server = servers.get(plan.name)!;
      const prefix = `rep ${rep + 1}/${config.repetitions} ${plan.name.padEnd(14)} `;
      const ctx: WorkloadContext = {
        config,
        server,
        loadgen,
        results,
        step: (label, work) => timed(prefix, label.split(' ')[0]!, plan.name, label, work),
      };
      await runRepetition(ctx, plan, headName);
    }
  }

  const w7Servers = config.only.has('W7')
    ? await runW7({
        config,
        loadgen,
        results,
        root: process.cwd(),
        step: (server, label, work) => timed('', 'W7', server, label, work),
        skipped,
      })
    : [];

  const w8LoadBefore = loadavg()[0]!;
  const w8Servers = config.only.has('W8')
    ? await runW8({
        config,
        results,
        step: (server, label, work) => timed('', 'W8', server, label, work),
        skipped,
      })
    : [];
  const w8Machine = { cores: cpus().length, loadBefore: w8LoadBefore, loadAfter: loadavg()[0]! };
  if (config.only.has('W9')) {
    await runW9({
      config,
      results,
      root: process.cwd(),
      step: (server, label, work) => timed('', 'W9', server, label, work),
      skipped,
    });
  }

  // W6's in-memory side is ours' W2 measurement of the same phases.
  results.share(w2RateSection(config.small, W6_RATE).title, w6RateSection(config.small), 'ours');
  const { size, perSecond } = config.burst;
  results.share(
    w2BurstSection(config.small, size, perSecond).title,
    w6BurstSection(config.small, size, perSecond),
    'ours',
  );

  const validationNs = await validationNanos();
  const ulimit = execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/bash' }).trim();
  const text = writeReport({
    config,
    results,
    timings,
    commit: head.commit,
    validationNs,
    minutes: (performance.now() - startedAt) / 60_000,
    ulimit,
    servers: [
      ...plans.map((plan) => plan.name),
      ...w7Servers.map((name) => `${name} (W7)`),
      ...w8Servers.map((name) => `${name} (W8)`),
    ],
    skipped,
    loadAtStart,
  });
  const resultsFile = 'bench/RESULTS.md';
  const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  writeFileSync(config.out, config.out === resultsFile ? carryBlocks(previous, text) : text);
  console.log(text);
  console.log(`written to ${config.out}`);
  if (config.only.has('W8')) {
    // W8's targets and tables also go into RESULTS.md, in blocks of their own, whatever else ran.
    let results17 = readFileSync(resultsFile, 'utf8');
    results17 = mergeIssue17(results17, ['W8'], w8TargetRows(results, config, w8Machine));
    results17 = replaceBlock(results17, 'W8', w8Block(results, config, w8Machine, head.commit));
    writeFileSync(resultsFile, results17);
    console.log(`W8: targets and tables written to ${resultsFile}`);
  }
} finally {
  for (const server of servers.values()) server.stop();
  loadgen?.stop();
  if (redis) {
    const deleted = await deleteKeys(redis.url, redis.keyPrefix).catch(() => Number.NaN);
    console.log(`W6: deleted ${deleted} Redis keys under ${redis.keyPrefix}`);
  }
}
