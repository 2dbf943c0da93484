import type { Results } from '../Results.js';
import { median } from '../stats.js';

/** W7 side by side: one line per figure, the "before" tree, this tree, and their ratio (medians). */
export function w7SummaryTable(results: Results, target: number): string | undefined {
  const sections = results.sections().filter((section) => section.workload === 'W7');
  if (sections.length === 0) return undefined;
  const lines = ['| workload | figure | before | now | now / before |', '|---|---|---|---|---|'];
  let met: boolean | undefined;
  for (const section of sections) {
    const before = section.baseline ?? '';
    const cluster = section.title.startsWith('W7a');
    const value = (server: string, metric: string): number =>
      median((section.rows.get(server) ?? []).map((row) => row[metric] ?? Number.NaN));
    const total = (server: string, metrics: string[]): number =>
      Math.max(
        ...(section.rows.get(server) ?? []).map((row) => metrics.reduce((s, m) => s + (row[m] ?? 0), 0)),
      );
    /** `ratio` false: values around zero (an event before its 2xx is negative), where a ratio means nothing. */
    const figure = (label: string, metric: string, digits: number, ratio = true) => {
      const [b, n] = [value(before, metric), value('ours', metric)];
      const quotient = ratio ? n / b : Number.NaN;
      lines.push(
        `| ${cluster ? 'W7a cluster' : 'W7b embedded'} | ${label} | ${b.toFixed(digits)} | ${n.toFixed(digits)} | ${
          Number.isFinite(quotient) ? `${quotient.toFixed(2)}×` : '—'
        } |`,
      );
    };
    figure('sustained writes/s, nothing lost, repeated or reordered', 'writesPerSecond', 0);
    if (!cluster) figure('server CPU µs per write', 'cpuMicrosPerWrite', 0);
    else
      figure('server CPU µs per write (3 instances; Postgres and Redis not counted)', 'cpuMicrosPerWrite', 0);
    figure(
      `event timestamp→receipt p50 ms at ${value('ours', 'offeredRate')} writes/s offered`,
      'commitP50',
      1,
    );
    figure('event timestamp→receipt p99 ms, same', 'commitP99', 1);
    figure('2xx answer→receipt p50 ms, same', 'answerP50', 1, false);
    figure('2xx answer→receipt p99 ms, same', 'answerP99', 1, false);
    figure('writes answered 2xx/s, same', 'achievedRate', 0);
    figure(
      'events with a `timestamp` earlier than the event before them (all phases, all subscribers)',
      'timestampsBack',
      0,
      false,
    );
    const failures = [
      'failedWrites',
      'lost',
      'duplicated',
      'outOfOrder',
      'idGaps',
      'unexpected',
      'notAnnounced',
    ];
    lines.push(
      `| ${cluster ? 'W7a cluster' : 'W7b embedded'} | writes not 2xx + lost + duplicated + out of order + gaps + unexpected (worst repetition) | ${total(before, failures)} | ${total('ours', failures)} | |`,
    );
    if (cluster && section.rows.has('ours')) met = value('ours', 'writesPerSecond') >= target;
  }
  const verdict = met === undefined ? 'not run' : met ? 'met' : '**not met**';
  return `${lines.join('\n')}\n\nTarget: ≥ ${target} writes/s cluster-wide, nothing lost: ${verdict}.`;
}
