import type { BenchConfig, WorkloadId } from '../config.js';
import type { LoadGenerator } from '../LoadGenerator.js';
import type { Results } from '../Results.js';
import type { ServerProcess } from '../ServerProcess.js';

/** What a workload runs against: one server, the load generator, and where figures go. */
export interface WorkloadContext {
  readonly config: BenchConfig;
  readonly server: ServerProcess;
  readonly loadgen: LoadGenerator;
  readonly results: Results;
  /** Runs one named step and prints how long it took (the bench's progress lines). */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closes every stream the load generator holds and waits (up to 10 s) until the server has no connection
 * left, so that its teardown is not measured as part of the next server's or workload's figures.
 */
export function closeStreams(ctx: WorkloadContext, workload: WorkloadId): Promise<void> {
  return ctx.step(`${workload} close`, async () => {
    await ctx.loadgen.close();
    const deadline = performance.now() + 10_000;
    while ((await ctx.server.stats(false)).sockets > 0 && performance.now() < deadline) await sleep(20);
  });
}
