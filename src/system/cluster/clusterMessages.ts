import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** One registry's series as `Registry.getMetricsAsJSON()` gives them (what crosses the IPC channel). */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * What the primary and its workers say over node:cluster's IPC channel. A worker's `/metrics` sends `scrape`;
 * the primary sends `collect` to every listening worker, each answers `collected`, and the primary answers the
 * asking worker with `scraped` (the whole cluster's text).
 */
export type ClusterMessage =
  | { type: 'petstore:scrape'; id: number }
  | { type: 'petstore:scraped'; id: number; text: string }
  | { type: 'petstore:collect'; id: number }
  | { type: 'petstore:collected'; id: number; metrics: MetricsJson };

/** Narrows an IPC message (anything a process may be sent) to one of ours of `type`. */
export function isClusterMessage<K extends ClusterMessage['type']>(
  message: unknown,
  type: K,
): message is Extract<ClusterMessage, { type: K }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
