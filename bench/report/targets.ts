import type { BenchConfig } from '../config.js';
import type { Results } from '../Results.js';
import { w1Section } from '../workloads/w1IdleMemory.js';
import { w2BurstSection, w2RateSection } from '../workloads/w2Broadcast.js';
import { w5Section } from '../workloads/w5SlowConsumers.js';

type Target = [target: string, value: string, met: boolean | undefined];

/** The targets of issue #6 (ours vs raw, medians); a row whose workload did not run says so. */
export function targetsTable(results: Results, config: BenchConfig, validationShare: number): string {
  const at50 = w2RateSection(config.small, 50).title;
  const idle = w1Section(config.small).title;
  const bursts = w2BurstSection(config.small, config.burst.size, config.burst.perSecond).title;
  const large = w1Section(config.large).title;
  const slow = w5Section(
    config.slow.clients,
    Math.ceil(config.slow.events / config.slow.burstSize) * config.slow.burstSize,
    config.slow.burstSize,
    config.slow.perSecond,
  ).title;
  const ours = (title: string, metric: string): number => results.median(title, 'ours', metric);
  const raw = (title: string, metric: string): number => results.median(title, 'raw', metric);
  const ratio = (title: string, metric: string): number => ours(title, metric) / raw(title, metric);
  const ran = (title: string, server = 'ours'): boolean => results.section(title)?.rows.has(server) ?? false;

  const rows: Target[] = [
    [
      'CPU per delivered event ≤ 1.15× raw (1k × 50/s, validation on)',
      `${ratio(at50, 'cpuMicrosPerEvent').toFixed(2)}×`,
      ran(at50) ? ratio(at50, 'cpuMicrosPerEvent') <= 1.15 : undefined,
    ],
    [
      'idle memory per connection ≤ 1.15× raw (1k, RSS − young gen / heap; RSS as measured)',
      `${ratio(idle, 'rssSteadyKiB').toFixed(2)}× / ${ratio(idle, 'heapKiB').toFixed(2)}×; ${ratio(idle, 'rssKiB').toFixed(2)}×`,
      ran(idle) ? ratio(idle, 'rssSteadyKiB') <= 1.15 && ratio(idle, 'heapKiB') <= 1.15 : undefined,
    ],
    [
      'bursts: capacity ≥ 2× raw at ≤ 3 µs CPU/event',
      `${ratio(bursts, 'capacityPerCore').toFixed(2)}×, ${ours(bursts, 'cpuMicrosPerEvent').toFixed(2)} µs`,
      ran(bursts)
        ? ratio(bursts, 'capacityPerCore') >= 2 && ours(bursts, 'cpuMicrosPerEvent') <= 3
        : undefined,
    ],
    [
      'p99 at 1k × 50/s no worse than raw',
      `${ours(at50, 'p99').toFixed(1)} ms vs ${raw(at50, 'p99').toFixed(1)} ms`,
      ran(at50) ? ratio(at50, 'p99') <= 1 : undefined,
    ],
    [
      `${config.large} connections held`,
      `${ours(large, 'connections')}`,
      ran(large) ? ours(large, 'connections') >= config.large : undefined,
    ],
    [
      'validation < 2% of fan-out CPU',
      `${(validationShare * 100).toFixed(3)}%`,
      ran(at50) ? validationShare < 0.02 : undefined,
    ],
    [
      "W5: others' p99 moves < 10 % while 1 % of clients stall",
      `${ours(slow, 'p99Ratio').toFixed(2)}× (${ours(slow, 'p99Without').toFixed(1)} → ${ours(slow, 'p99With').toFixed(1)} ms)`,
      ran(slow) ? ours(slow, 'p99Ratio') < 1.1 : undefined,
    ],
    [
      'W5: slow ones dropped, memory bounded (growth < 1 MiB per stalled client)',
      `${ours(slow, 'dropped')} of ${ours(slow, 'stalled')} dropped; heap+ext ${signed(ours(slow, 'heapGrowthKiB'))} KiB, ` +
        `RSS ${signed(ours(slow, 'rssGrowthKiB'))} KiB (raw: ${raw(slow, 'dropped')} dropped, ` +
        `heap+ext ${signed(raw(slow, 'heapGrowthKiB'))} KiB, ${raw(slow, 'queuedKiB').toFixed(0)} KiB queued)`,
      ran(slow)
        ? ours(slow, 'dropped') === ours(slow, 'stalled') &&
          ours(slow, 'heapGrowthKiB') < 1024 * ours(slow, 'stalled')
        : undefined,
    ],
  ];
  return [
    '| target | ours | met |',
    '|---|---|---|',
    ...rows.map(
      ([target, value, met]) =>
        `| ${target} | ${met === undefined ? 'not run' : value} | ${met === undefined ? '—' : met ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');
}

const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(0)}`;
