import type { BenchConfig } from '../config.js';
import type { Results } from '../Results.js';
import { w8AloneSection, w8ClosedSection, w8OpenSection } from '../workloads/w8WritePath.js';
import { ratios, type TargetRow, values } from './issue17.js';
import { sectionTable } from './table.js';

/** The load average around W8 and what it means for the figures. */
export interface W8Machine {
  cores: number;
  loadBefore: number;
  loadAfter: number;
}

/**
 * Whether other work shared the machine: judged by the load average before the run (the bench's own servers
 * and load generators raise it during the run, so the load after says nothing about others).
 */
const wasShared = (m: W8Machine) => m.loadBefore > m.cores * 0.5;

const machineCell = (m: W8Machine) =>
  `load ${m.loadBefore.toFixed(1)}→${m.loadAfter.toFixed(1)} on ${m.cores} cores${
    wasShared(m) ? ' (**shared, loaded**)' : ' (quiet before the run)'
  }`;

/** W8's rows of the issue #17 targets table. */
export function w8TargetRows(results: Results, config: BenchConfig, machine: W8Machine): TargetRow[] {
  const { sizes, rates, concurrency } = config.w8;
  const m = machineCell(machine);
  const rows: TargetRow[] = [];
  const limits: Record<number, number> = { 1000: 1.1, 10000: 1.0 };
  for (const [i, size] of sizes.entries()) {
    const open = results.section(w8OpenSection(size, rates[i]!).title);
    const limit = limits[size] ?? 1.0;
    rows.push({
      workload: 'W8',
      target: `CPU per delivered event incl. the PATCH, ${size} subscribers (open loop ${rates[i]}/s, validation on): ours ≤ ${limit.toFixed(1)}× raw`,
      values: ratios(open, 'ours', 'cpuMicrosPerEvent'),
      meets: (r) => r <= limit,
      unit: '×',
      machine: m,
    });
  }
  for (const size of sizes) {
    const closed = results.section(w8ClosedSection(size, concurrency).title);
    rows.push({
      workload: 'W8',
      target: `closed-loop maximum deliveries/s, ${size} subscribers (${concurrency} writes in flight): ours ≥ 1.5× raw`,
      values: ratios(closed, 'ours', 'eventsPerSecond'),
      meets: (r) => r >= 1.5,
      unit: '×',
      machine: m,
    });
  }
  const alone = results.section(w8AloneSection('').title);
  for (const [server, label] of [
    ['ours', 'PGlite (in memory)'],
    ['ours on Postgres', 'Postgres (its own CPU not counted)'],
  ] as const) {
    rows.push({
      workload: 'W8',
      target: `server CPU of one PATCH alone, ours on ${label} (no target; raw: ${values(
        alone,
        'raw',
        'cpuMicrosPerWrite',
      )
        .map((v) => v.toFixed(0))
        .join(', ')} µs)`,
      values: values(alone, server, 'cpuMicrosPerWrite'),
      unit: ' µs',
      machine: m,
    });
  }
  const bad = results
    .sections()
    .filter((s) => s.workload === 'W8')
    .flatMap((s) =>
      (s.rows.get('ours') ?? []).map(
        (row) => (row.losses ?? 0) + (row.duplicates ?? 0) + (row.failedWrites ?? 0),
      ),
    );
  const perRep = Array.from({ length: config.repetitions }, (_, rep) =>
    bad.filter((_, i) => i % config.repetitions === rep).reduce((a, b) => a + b, 0),
  );
  rows.push({
    workload: 'W8',
    target: 'ours: events lost + duplicated/gaps + writes not 2xx over every W8 phase = 0',
    values: bad.length ? perRep : [],
    meets: (n) => n === 0,
    unit: '',
    machine: m,
  });
  return rows;
}

/** W8's block of RESULTS.md: how it was run, then its tables. */
export function w8Block(results: Results, config: BenchConfig, machine: W8Machine, commit: string): string {
  const { sizes, rates, concurrency, openMs, closedMs, aloneMs, subscriberProcesses, largeServers } =
    config.w8;
  const tables = results
    .sections()
    .filter((s) => s.workload === 'W8')
    .map((s) => `#### ${s.title}\n\n${s.note ? `${s.note}\n\n` : ''}${sectionTable(s)}`);
  return `### W8: the write-to-wire path (issue #17)

Run by \`BENCH_ONLY=W8 npm run bench\` on ${new Date().toISOString()} at commit ${commit}, ${config.repetitions} repetitions,
servers interleaved (order reversed every other one); ${machineCell(machine)}. ${
    wasShared(machine)
      ? "The machine was shared with other work during this run: every figure is a loaded one, and the ratios move between repetitions; a quiet rerun is needed before reading them as the project's figures."
      : ''
  }
Sizes: ${sizes.map((s, i) => `${s} subscribers at ${rates[i]} writes/s for ${openMs} ms (open loop)`).join(', ')}; closed loop ${concurrency} writes in flight for ${closedMs} ms at each size;
the write alone ${aloneMs} ms at 1 in flight. Sizes above 1000 run on ${
    largeServers === 'all' ? 'every server' : largeServers.join(' and ')
  } only (\`BENCH_W8_LARGE=all\` adds the peers: each takes minutes to connect 10 000 streams here). Subscribers are
spread over ${subscriberProcesses} load generator processes, the writes come from another one. ours = the app as
\`createSystem\` builds it (Koa routes, request validation, generated validators on every event, in-memory PGlite, the
in-process live log); "ours on Postgres" the same on a new Postgres database (write alone only).

${tables.join('\n\n')}`;
}
