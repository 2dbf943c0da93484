import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchConfig } from '../config.js';
import type { Results } from '../Results.js';
import type { Timings } from '../Timings.js';
import { w2RateSection } from '../workloads/w2Broadcast.js';
import { sectionTable } from './table.js';
import { targetsTable } from './targets.js';
import { w7SummaryTable } from './w7Summary.js';
import { w9TargetsTable } from './w9Targets.js';

export interface ReportMeta {
  config: BenchConfig;
  results: Results;
  timings: Timings;
  commit: string;
  validationNs: number;
  minutes: number;
  ulimit: string;
  /** Servers that ran, in order. */
  servers: readonly string[];
  /** Why a workload was skipped, if one was. */
  skipped: readonly string[];
  /** The 1-minute load average when the run started (the machine may be shared). */
  loadAtStart: number;
}

/** bench/RESULTS.md: how the figures were made, the targets, the time budget, then one table per section. */
export function writeReport(meta: ReportMeta): string {
  const { config, results } = meta;
  const fanOut = w2RateSection(config.small, 50).title;
  const cpuPerEvent = results.median(fanOut, 'ours', 'cpuMicrosPerEvent');
  const shareOnce = meta.validationNs / (cpuPerEvent * 1000 * config.small);
  const sharePerSubscriber = meta.validationNs / (cpuPerEvent * 1000);
  const sections = results.sections().map((section) => {
    const note = section.note ? `${section.note}\n\n` : '';
    return `### ${section.title}\n\n${note}${sectionTable(section)}`;
  });
  const { slow, requests } = config;
  const w7 = w7SummaryTable(results, 1000);
  const w9 = w9TargetsTable(results, config);
  return `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()} (whole run: ${meta.minutes.toFixed(1)} min${
    config.complete ? '' : '; a partial run: workloads, servers, repetitions or sizes were narrowed by knobs'
  }).

- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, \`ulimit -n\` ${meta.ulimit};
  1-minute load average ${meta.loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end of the run.
- Knobs (environment; see docs/performance.md): \`BENCH_ONLY=W1,…,W7\` runs some workloads, \`BENCH_SERVERS=raw,ours,ours@head,…\`
  some servers, \`BENCH_REPS\` (≥ 1, default 3); sizes \`BENCH_RATES\` (W2 events/s, default 50,100), \`BENCH_SMALL\`, \`BENCH_LARGE\` (0 skips), \`BENCH_ORDERS\`,
  \`BENCH_REQUEST_CONCURRENCY\`, \`BENCH_REQUEST_MS\`, \`BENCH_SLOW_CLIENTS\`, \`BENCH_SLOW_EVENTS\`; \`BENCH_REDIS_URL\` (empty skips W6);
  W7: \`BENCH_W7_BEFORE\` (revision, default 72abe6c) or \`BENCH_W7_BEFORE_DIR\` (a built checkout), \`BENCH_W7_NOW_DIR\` (default this tree), \`BENCH_PG_URL\`, \`BENCH_W7_STEP_MS\`, \`BENCH_W7_RATE\`;
  W8: \`BENCH_W8_SIZES\` (default 1000,10000), \`BENCH_W8_MS\` (phase length), \`BENCH_W8_LARGE\` (servers above 1000 subscribers, default raw,ours; \`all\`);
  \`BENCH_OUT\` (default: this file for a full run, \`bench/RESULTS.partial.md\` otherwise); \`BENCH_BEFORE\` (the "before" commit,
  default HEAD); \`BENCH_CPU_PROF=dir\` profiles.
- Each server runs in its own process; one load generator process holds raw \`net\` sockets, reads HTTP/1.1 by hand
  (dechunking; a chunk may hold several frames or part of one, lines may end in LF, CRLF or CR), counts the
  events of each stream by id (a repeated or lower id is a duplicate, a skipped sequence number a gap) and samples
  publish→receive latency from the microsecond \`timestamp\` each event carries.
- ${config.repetitions} repetitions, servers interleaved within each (order reversed every other one); cells are \`median [min–max]\`,
  \`(n×)\` the ratio to the section's baseline median (raw unless the section says otherwise). CPU µs/event = server
  \`process.cpuUsage()\` delta / events delivered.
- The load generator shares the ${cpus().length} cores with the server under test: at the higher rates delivered events/s
  and latency are bounded by the client too (read CPU µs/event, measured in the server alone, for cost).
  Idle memory is the growth after a forced GC divided by connections; RSS is noisier than heap.
- Sizes, scaled to fit 10 minutes on this machine: **W1/W2** ${config.small} and ${config.large} inventory streams; phases of ${config.phaseMs} ms at
  ${config.rates.join(', ')} events/s (1 event per tick) at ${config.small}, ${config.largePhaseMs} ms at ${config.largeRate} events/s at ${config.large}; bursts of ${config.burst.size} events in one tick, ${config.burst.perSecond}/s for ${config.burst.ms} ms.
  **W3** ${config.orders} order status streams, each live status spread over ${config.orderStepMs} ms. **W4** ${requests.concurrency} streams in flight,
  ${requests.warmupMs} ms warm-up then ${requests.durationMs} ms measured, \`limit=${requests.limit}\`. **W5** ${slow.clients} clients, ${slow.events} events in bursts of
  ${slow.burstSize} × ${slow.perSecond}/s. **W6** ${config.small} subscribers, the W2 phases at 50 events/s and bursts.
- Servers (${meta.servers.join(', ')}): **raw** = node:http writing pre-serialised frames, one write per event per client,
  no policy for slow clients (the ceiling); **ours** = this working tree (full Koa app, generated validators,
  in-memory event log, in-memory PGlite store with the seeded catalog, no fulfilment worker); **ours@${meta.commit}** = the "before"
  (\`BENCH_BEFORE\`, default the last commit), run from a \`git archive\` of it; better-sse, @fastify/sse + fastify, Hono \`streamSSE\` + @hono/node-server
  at the versions pinned in package.json (W1/W2 only); **ours+redis** = ours on \`createRedisEventLog\` (W6 only), under a
  key prefix unique to the run whose keys are deleted at the end. Who runs what: W1/W2 every server but ours+redis;
  W3 raw and ours (no peers: their order streams would be bench code, not the library's; ours@${meta.commit} is left
  out to fit the 10 minutes); W4 ours and ours@${meta.commit}; W5 raw (no policy) and ours; W6 ours and ours+redis.
- **W3, what is left out:** the orders are placed through the order service per server at start (a store
  transaction each), enough for every repetition to follow orders of its own (a followed order's statuses stay in
  its outbox stream, so once they reached \`shipped\` its next stream is finished at once). Each live status is
  written to the order's stream in the outbox as \`orderService.advance\` writes it (a group-committed write with
  the domain's own frame), less the update of the order's own row: so ours' CPU per status includes the outbox
  append on that order's stream (its own counter row: about 0.3–0.5 ms of PGlite per status here), which raw, with
  no store at all, does not pay.
- **W5 runs over a Unix domain socket** (each server process also accepts HTTP there, handed to the same
  http.Server). Over TCP loopback Linux grows the send buffer of a connection whose reader stopped up to
  \`net.ipv4.tcp_wmem\` max (4 MiB): measured here, ~3.8 MB (~25 000 stock-change frames) sit in the kernel before Node
  sees any backpressure, so the policy (1 MiB or 1000 frames waiting) would only start after ~28 000 events per client.
  A Unix socket holds about \`net.core.wmem_default\` (~110–210 KB measured): ours dropped the paused client after
  2000–2400 events in trials here, so ${slow.events} events cross the 1000-frame bound with room to spare.
- **W7 runs the compiled server** (\`dist/server/main.js\`, as \`npm start\` does) of this tree (\`ours\`) and of the "before"
  commit (\`ours@…\`, built in its own checkout), each started anew per repetition: W7a ${config.w7.instances} instances on a new Postgres
  database each and one redis-server of the bench's own (spare port, no persistence; both removed at the end), W7b one process on
  PGlite in a new DATA_DIR. Closed-loop steps of ${config.w7.stepMs} ms at ${config.w7.concurrencies.join(', ')} in flight (until the rate stops growing
  for 3 steps or anything fails), then ${config.w7.rateMs} ms open loop at ${config.w7.rate} writes/s. Figures come from the load generator
  process over HTTP/1.1 (writes) and SSE (one subscriber per instance), never from inside the server.
- Validation: a compiled \`stock-change\` check costs ${meta.validationNs.toFixed(0)} ns. At ours' ${cpuPerEvent.toFixed(2)} µs per
  delivered event (1k × 50/s), validating once per event is ${(shareOnce * 100).toFixed(3)}% of fan-out CPU; validating per
  subscriber (before) would be ${(sharePerSubscriber * 100).toFixed(2)}%.${
    meta.skipped.length > 0 ? `\n- Skipped: ${meta.skipped.join('; ')}.` : ''
  }

## Targets (ours vs raw, medians)

${targetsTable(results, config, shareOnce)}

${w7 ? `## W7: inventory writes, before and now (medians)\n\n${w7}\n\n` : ''}${
  w9
    ? `## W9: ${config.w9.streams} concurrent streams over ${config.w9.workers} workers (issue #17)\n\n${w9}\n\n`
    : ''
}## Time budget (wall seconds, all repetitions)

${meta.timings.table()}

${sections.join('\n\n')}
`;
}
