import type { Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import { type ClusterMessage, isClusterMessage, type MetricsJson } from './clusterMessages.js';

/** How long the primary waits for each worker's series; one that is late is left out of that scrape. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * The primary's side of `/metrics` with WORKERS > 1: on a worker's `scrape`, it collects every listening
 * worker's series (each labelled `worker`) and its own, and answers the exposition text of all of them. Series
 * are labelled by worker, not summed: a restarted worker's counters start again from zero in their own series,
 * which Prometheus reads as that series' reset (a sum would drop and look like a reset of the whole).
 */
export class ClusterMetrics {
  readonly registry = new Registry();
  readonly restarts = new Counter({
    name: 'cluster_worker_restarts_total',
    help: 'Workers the primary forked again after one died, by worker slot.',
    labelNames: ['worker'],
    registers: [this.registry],
  });
  readonly #listening: () => ReadonlySet<Worker>;
  readonly #waiting = new Map<number, { pending: Set<Worker>; got: MetricsJson[]; done: () => void }>();
  #nextId = 0;

  constructor(listening: () => ReadonlySet<Worker>) {
    new Gauge({
      name: 'cluster_workers',
      help: 'Worker processes listening now (WORKERS asks for this many).',
      registers: [this.registry],
      collect() {
        this.set(listening().size);
      },
    });
    this.#listening = listening;
  }

  /** Handles a worker's message if it is one of the metrics exchange's. */
  onMessage(worker: Worker, message: unknown): void {
    if (isClusterMessage(message, 'petstore:scrape')) {
      void this.#scrape().then((text) => {
        if (worker.isConnected())
          worker.send({ type: 'petstore:scraped', id: message.id, text } as ClusterMessage);
      });
    } else if (isClusterMessage(message, 'petstore:collected')) {
      const scrape = this.#waiting.get(message.id);
      if (!scrape?.pending.delete(worker)) return;
      scrape.got.push(message.metrics);
      if (scrape.pending.size === 0) scrape.done();
    }
  }

  /** Every listening worker's series and the primary's, as Prometheus text. */
  async #scrape(): Promise<string> {
    const id = this.#nextId++;
    const pending = new Set([...this.#listening()].filter((worker) => worker.isConnected()));
    const got: MetricsJson[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
      this.#waiting.set(id, {
        pending,
        got,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      for (const worker of pending) worker.send({ type: 'petstore:collect', id } as ClusterMessage);
      if (pending.size === 0) resolve();
    });
    this.#waiting.delete(id);
    got.push(await this.registry.getMetricsAsJSON());
    // Every worker's series carry a distinct `worker` label, so aggregating only puts the families together.
    return AggregatorRegistry.aggregate(got).metrics();
  }
}
