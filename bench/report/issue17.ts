import type { Results, Section } from '../Results.js';
import { median } from '../stats.js';

/** One target of issue #17 as measured: the ratio (or value) of each repetition and how it is judged. */
export interface TargetRow {
  /** The workload that measures it (W8, …): a run replaces the rows of the workloads it ran. */
  workload: string;
  target: string;
  /** Per repetition, the ratio to the baseline (or the value itself when `unit` is set). */
  values: number[];
  /** Whether one repetition's value meets the target; undefined: a figure without a target. */
  meets?: (value: number) => boolean;
  /** Printed after each value, e.g. `×` (a ratio) or ` µs`. */
  unit: string;
  /** The machine as the workload ran: e.g. the load average. */
  machine: string;
}

export const ISSUE17_BEGIN =
  '<!-- issue-17-targets: one row per target; a run of a workload replaces the rows that start with its id -->';
export const ISSUE17_END = '<!-- /issue-17-targets -->';
const HEADER =
  '| workload | target | measured (median) | range over repetitions (min–max) | verdict | machine |\n|---|---|---|---|---|---|';

/** Per repetition, `server`'s `metric` over `baseline`'s in the same repetition (servers are interleaved). */
export function ratios(
  section: Section | undefined,
  server: string,
  metric: string,
  baseline = 'raw',
): number[] {
  const rows = section?.rows.get(server) ?? [];
  const base = section?.rows.get(baseline) ?? [];
  return rows.map((row, i) => (row[metric] ?? Number.NaN) / (base[i]?.[metric] ?? Number.NaN));
}

/** `server`'s `metric` in each repetition. */
export function values(section: Section | undefined, server: string, metric: string): number[] {
  return (section?.rows.get(server) ?? []).map((row) => row[metric] ?? Number.NaN);
}

function line(row: TargetRow): string {
  const finite = row.values.filter(Number.isFinite);
  const digits = row.unit === '×' ? 2 : 0;
  const f = (v: number) => `${v.toFixed(digits)}${row.unit}`;
  const measured = finite.length ? f(median(finite)) : 'not run';
  const range = finite.length
    ? `${f(Math.min(...finite))}–${f(Math.max(...finite))} (${finite.length} reps)`
    : '—';
  let verdict = '—';
  if (row.meets && finite.length) {
    const met = finite.filter(row.meets).length;
    verdict =
      met === finite.length
        ? `met in all ${met}`
        : met === 0
          ? `**not met** in any of ${finite.length}`
          : `**met in ${met} of ${finite.length}**, missed in ${finite.length - met}`;
  }
  return `| ${row.workload} | ${row.target} | ${measured} | ${range} | ${verdict} | ${row.machine} |`;
}

/** The issue #17 block of `text` with the rows of `workloads` replaced by `rows` (the block is added if absent). */
export function mergeIssue17(text: string, workloads: readonly string[], rows: readonly TargetRow[]): string {
  const begin = text.indexOf(ISSUE17_BEGIN);
  const end = text.indexOf(ISSUE17_END);
  const kept =
    begin >= 0 && end > begin
      ? text
          .slice(begin + ISSUE17_BEGIN.length, end)
          .split('\n')
          .filter(
            (l) =>
              l.startsWith('| ') &&
              !l.startsWith('| workload') &&
              !workloads.some((w) => l.startsWith(`| ${w} `)),
          )
      : [];
  const block = `${ISSUE17_BEGIN}\n${HEADER}\n${[...kept, ...rows.map(line)].join('\n')}\n${ISSUE17_END}`;
  if (begin >= 0 && end > begin) return text.slice(0, begin) + block + text.slice(end + ISSUE17_END.length);
  return `${text.trimEnd()}\n\n## Issue #17 targets\n\nRatios are to raw node:http measured in the same repetition (servers interleaved).\n\n${block}\n`;
}

/** The block `<!-- bench:id -->…<!-- /bench:id -->` of `text` replaced by `content` (appended if absent). */
export function replaceBlock(text: string, id: string, content: string): string {
  const open = `<!-- bench:${id} -->`;
  const close = `<!-- /bench:${id} -->`;
  const block = `${open}\n${content.trim()}\n${close}`;
  const begin = text.indexOf(open);
  const end = text.indexOf(close);
  if (begin >= 0 && end > begin) return text.slice(0, begin) + block + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** The blocks a full report would drop, carried from the old file into the new one. */
export function carryBlocks(oldText: string, newText: string): string {
  let text = newText;
  const begin = oldText.indexOf(ISSUE17_BEGIN);
  const end = oldText.indexOf(ISSUE17_END);
  if (begin >= 0 && end > begin && !text.includes(ISSUE17_BEGIN)) {
    const heading = oldText.lastIndexOf('## Issue #17 targets', begin);
    text = `${text.trimEnd()}\n\n${oldText.slice(heading >= 0 ? heading : begin, end + ISSUE17_END.length)}\n`;
  }
  for (const match of oldText.matchAll(/<!-- bench:([\w-]+) -->/g)) {
    const id = match[1]!;
    if (text.includes(`<!-- bench:${id} -->`)) continue;
    const close = `<!-- /bench:${id} -->`;
    const stop = oldText.indexOf(close, match.index);
    if (stop > 0) text = `${text.trimEnd()}\n\n${oldText.slice(match.index, stop + close.length)}\n`;
  }
  return text;
}

export type { Results };
