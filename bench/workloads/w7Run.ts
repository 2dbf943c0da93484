import { build, builtTree } from '../builtTree.js';
import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../LoadGenerator.js';
import type { Results } from '../Results.js';
import { PostgresDatabase } from '../services/PostgresDatabase.js';
import { RedisServer } from '../services/RedisServer.js';
import { type Deployment, startCluster, startEmbedded, type W7Tree } from './w7Deployments.js';
import { w7ClusterSection, w7EmbeddedSection, w7Writes } from './w7Writes.js';

type Step = <T>(server: string, label: string, work: () => Promise<T>) => Promise<T>;

/**
 * The trees W7 compares: this one (or `BENCH_W7_NOW_DIR`), and the "before" (by default the commit before
 * the event log).
 */
export function w7Trees(config: BenchConfig, root: string): { before: W7Tree; now: W7Tree } {
  const now = config.w7.nowDir ?? root;
  build(root, now);
  const before = builtTree(root, config.w7.beforeDir, config.w7.beforeRevision);
  return { before: { name: `ours@${before.commit}`, root: before.dir }, now: { name: 'ours', root: now } };
}

/**
 * W7 (issue #12, item 4): the cluster (W7a: instances on one Postgres database and one Redis of the bench's
 * own) and the embedded process (W7b) of both trees, interleaved, each started anew for every repetition.
 * Skips W7a, and says so, when no Postgres server answers or redis-server cannot start.
 */
export async function runW7(options: {
  config: BenchConfig;
  loadgen: LoadGenerator;
  results: Results;
  root: string;
  step: Step;
  skipped: string[];
}): Promise<string[]> {
  const { config, loadgen, results, step, skipped } = options;
  const trees = await step('all', 'W7 build both trees', async () => w7Trees(config, options.root));
  const order = [trees.before, trees.now];
  let redis: RedisServer | undefined;
  const databases = new Map<string, PostgresDatabase>();
  try {
    if (await PostgresDatabase.reachable(config.w7.postgresUrl)) {
      redis = await RedisServer.start().catch((error: unknown) => {
        skipped.push(`W7a: redis-server did not start (${String(error)})`);
        return undefined;
      });
      if (redis) {
        for (const tree of order)
          databases.set(tree.name, await PostgresDatabase.create(config.w7.postgresUrl, tree.name));
      }
    } else skipped.push(`W7a: no Postgres server answered at ${config.w7.postgresUrl}`);

    for (let rep = 0; rep < config.repetitions; rep++) {
      for (const tree of rep % 2 === 0 ? order : [...order].reverse()) {
        const prefix = `rep ${rep + 1}/${config.repetitions} ${tree.name}`;
        const run = async (
          label: 'W7a' | 'W7b',
          section: ReturnType<typeof w7EmbeddedSection>,
          start: () => Promise<Deployment>,
        ) => {
          const database = label === 'W7a' ? databases.get(tree.name) : undefined;
          const deployment = await step(tree.name, `${prefix} ${label} start`, start);
          try {
            await w7Writes(
              {
                config,
                loadgen,
                results,
                tree,
                section,
                database,
                step: (what, work) => step(tree.name, `${prefix} ${label} ${what.replace(/^W7 /, '')}`, work),
              },
              deployment,
            );
          } finally {
            await deployment.stop();
          }
        };
        const database = databases.get(tree.name);
        if (redis && database) {
          await run('W7a', w7ClusterSection(config.w7.instances, trees.before.name), () =>
            startCluster(
              tree,
              {
                databaseUrl: database.url,
                redisUrl: redis!.url,
                redisPrefix: `petstore-sse-bench-w7-${database.name}:`,
              },
              config.w7.instances,
            ),
          );
        }
        await run('W7b', w7EmbeddedSection(trees.before.name), () => startEmbedded(tree));
      }
    }
  } finally {
    for (const database of databases.values()) await database.drop().catch(() => {});
    await redis?.stop();
  }
  return order.map((tree) => tree.name);
}
