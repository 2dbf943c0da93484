import type { WorkloadId } from './config.js';
import { median } from './stats.js';

/** One repetition's figures for one server in one section, by metric name (see report/metrics.ts). */
export type Row = Record<string, number>;

/** A table of the report: one workload at one size. */
export interface SectionSpec {
  workload: WorkloadId;
  title: string;
  /** The metrics shown, in order. */
  columns: readonly string[];
  /** The server other rows are compared with (`(n×)`); default `raw`. */
  baseline?: string;
  /** A sentence printed under the title. */
  note?: string;
}

export interface Section extends SectionSpec {
  /** server → one row per repetition. */
  rows: Map<string, Row[]>;
}

/** Everything measured, by section; sections come out in workload order, then in the order first met. */
export class Results {
  readonly #sections = new Map<string, Section>();

  record(spec: SectionSpec, server: string, row: Row): void {
    const section = this.#sections.get(spec.title) ?? { ...spec, rows: new Map<string, Row[]>() };
    this.#sections.set(spec.title, section);
    section.rows.set(server, [...(section.rows.get(server) ?? []), row]);
  }

  /** Copies `server`'s rows of section `from` into `to` when `to` has none of its own (one measurement, two tables). */
  share(from: string, to: SectionSpec, server: string): void {
    const rows = this.#sections.get(from)?.rows.get(server);
    if (!rows || this.#sections.get(to.title)?.rows.has(server)) return;
    for (const row of rows) this.record(to, server, row);
    // The shared rows come first: they are the reference of that table.
    const section = this.#sections.get(to.title)!;
    section.rows = new Map([
      [server, section.rows.get(server)!],
      ...[...section.rows].filter(([n]) => n !== server),
    ]);
  }

  sections(): Section[] {
    const order = [...this.#sections.values()];
    return order.sort((a, b) => a.workload.localeCompare(b.workload) || order.indexOf(a) - order.indexOf(b));
  }

  section(title: string): Section | undefined {
    return this.#sections.get(title);
  }

  /** The median of `metric` over `server`'s repetitions in section `title`; NaN when absent. */
  median(title: string, server: string, metric: string): number {
    return median(
      (this.#sections.get(title)?.rows.get(server) ?? []).map((row) => row[metric] ?? Number.NaN),
    );
  }
}
