import type { Section } from '../Results.js';
import { median, spread } from '../stats.js';
import { METRICS } from './metrics.js';

/** A section as a Markdown table: `median [min–max]` per cell, `(n×)` the ratio to the baseline's median. */
export function sectionTable(section: Section): string {
  const baselineName = section.baseline ?? 'raw';
  const baseline = section.rows.get(baselineName);
  const header = ['server', ...section.columns.map((metric) => METRICS[metric]?.label ?? metric)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [name, rows] of section.rows) {
    const cells = section.columns.map((metric) => {
      const values = rows.map((row) => row[metric] ?? Number.NaN);
      let cell = spread(values, METRICS[metric]?.digits ?? 1);
      if (baseline && name !== baselineName && METRICS[metric]?.ratio) {
        const ratio = median(values) / median(baseline.map((row) => row[metric] ?? Number.NaN));
        if (Number.isFinite(ratio)) cell += ` (${ratio.toFixed(2)}×)`;
      }
      return cell;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
