import type { Registry } from 'prom-client';
import type { MetricsOptions } from '../../http/metrics/metrics.js';
import { type ClusterMessage, isClusterMessage } from './clusterMessages.js';

/** How long a worker's `/metrics` waits for the primary before it answers with its own series alone. */
const SCRAPE_TIMEOUT_MS = 3000;

/** Sends to the primary; false once the channel is closed (the primary gone: the worker exits then anyway). */
const send = (message: ClusterMessage): boolean =>
  process.connected && process.send ? process.send(message) : false;

/**
 * The metrics of cluster worker `worker` (its slot, 1…WORKERS, kept across restarts): every series carries
 * `worker="<slot>"`, and `/metrics` answers the whole cluster's series, which the primary gathers from every
 * worker. If the primary does not answer within 3 s, this worker's own series are answered.
 */
export function workerMetricsOptions(worker: string): Pick<MetricsOptions, 'labels' | 'scrape'> {
  const waiting = new Map<number, (text: string) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message, 'petstore:scraped')) return;
    waiting.get(message.id)?.(message.text);
  });
  return {
    labels: { worker },
    scrape: async (own: Registry) => {
      const id = nextId++;
      const text = await new Promise<string | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), SCRAPE_TIMEOUT_MS);
        waiting.set(id, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        if (!send({ type: 'petstore:scrape', id })) resolve(undefined);
      });
      waiting.delete(id);
      return text ?? own.metrics();
    },
  };
}

/** Answers the primary's `collect` with this worker's series (its part of every cluster-wide scrape). */
export function answerMetricsCollects(registry: Registry): void {
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message, 'petstore:collect')) return;
    registry.getMetricsAsJSON().then(
      (metrics) => send({ type: 'petstore:collected', id: message.id, metrics }),
      // A collector that throws leaves this worker out of that one scrape; the primary does not wait long.
      () => {},
    );
  });
}
