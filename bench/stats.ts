/** The q-quantile (0..1) of `values` by nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** `median [min–max]` with `digits` decimals. */
export function spread(values: readonly number[], digits = 1): string {
  if (values.length === 0 || values.every((v) => Number.isNaN(v))) return 'n/a';
  const finite = values.filter((v) => !Number.isNaN(v));
  const f = (v: number): string => v.toFixed(digits);
  return `${f(median(finite))} [${f(Math.min(...finite))}–${f(Math.max(...finite))}]`;
}
