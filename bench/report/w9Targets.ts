import type { BenchConfig } from '../config.js';
import type { Results } from '../Results.js';
import { spread } from '../stats.js';
import { w9Section } from '../workloads/w9ManyStreams.js';

/**
 * W9's targets (issue #17, item 3): target, measured (median), ratio to raw where there is one, the range
 * across repetitions, and the machine's load when each repetition started. Empty when W9 did not run.
 */
export function w9TargetsTable(results: Results, config: BenchConfig): string {
  const section = results.section(w9Section(config).title);
  const ours = section?.rows.get('ours') ?? [];
  const raw = section?.rows.get('raw') ?? [];
  if (ours.length === 0) return '';
  const of = (rows: typeof ours, metric: string): number[] => rows.map((row) => row[metric] ?? Number.NaN);
  const med = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const load = spread(of(ours, 'load'), 1);
  const heapRatios = ours.map((row, i) => (row.heapKiB ?? Number.NaN) / (raw[i]?.heapKiB ?? Number.NaN));
  const rows = [
    [
      `all ${config.w9.streams} streams held`,
      `${med(of(ours, 'connections'))}`,
      '—',
      spread(of(ours, 'connections'), 0),
      of(ours, 'connections').every((n) => n >= config.w9.streams),
    ],
    [
      'p99 publish→receive < 1 s',
      `${med(of(ours, 'p99')).toFixed(0)} ms`,
      raw.length ? `${(med(of(ours, 'p99')) / med(of(raw, 'p99'))).toFixed(2)}× raw` : '—',
      spread(of(ours, 'p99'), 0),
      of(ours, 'p99').every((ms) => ms < 1000),
    ],
    [
      'heap per connection ≤ 1.15× raw node:http',
      `${med(of(ours, 'heapKiB')).toFixed(2)} vs ${raw.length ? med(of(raw, 'heapKiB')).toFixed(2) : 'n/a'} KiB`,
      `${med(heapRatios).toFixed(2)}×`,
      `${spread(heapRatios, 2)}×`,
      heapRatios.every((ratio) => ratio <= 1.15),
    ],
    [
      'lost and duplicated: 0 and 0',
      `${med(of(ours, 'lost'))} and ${med(of(ours, 'duplicated'))}`,
      '—',
      `${spread(of(ours, 'lost'), 0)}; ${spread(of(ours, 'duplicated'), 0)}`,
      ours.every((row) => row.lost === 0 && row.duplicated === 0),
    ],
  ] as const;
  return [
    '| target | measured (median) | ratio | range across repetitions | met | 1-min load |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      ([target, value, ratio, range, met]) =>
        `| ${target} | ${value} | ${ratio} | ${range} | ${met ? 'yes' : '**no**'} | ${load} |`,
    ),
  ].join('\n');
}
