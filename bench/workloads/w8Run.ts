import type { BenchConfig } from '../config.js';
import { inventoryWriteHeaders } from '../inventoryWriteHeaders.js';
import { LoadGenerator } from '../LoadGenerator.js';
import type { Results } from '../Results.js';
import { ServerProcess } from '../ServerProcess.js';
import { PostgresDatabase } from '../services/PostgresDatabase.js';
import {
  type W8Context,
  type W8Target,
  w8AloneSection,
  writeAlone,
  writesToSubscribers,
} from './w8WritePath.js';

type Step = <T>(server: string, label: string, work: () => Promise<T>) => Promise<T>;

/** The servers W8 compares, in run order: raw first (the baseline), ours, then the peers. */
const SERVERS = ['raw', 'ours', 'better-sse', '@fastify/sse', 'hono streamSSE'];
/** Pets the peers are written to (any ids: they keep no catalog). */
const PEER_PETS = Array.from(
  { length: 16 },
  (_, i) => `0193a5b2-7c1e-7d3a-9f2b-${String(i).padStart(12, '0')}`,
);

/** Pets and headers of a started server: ours lists its catalog; the token, if any, from `writeHeaders`. */
async function targetOf(server: ServerProcess): Promise<W8Target> {
  const base = `http://127.0.0.1:${server.port}`;
  let petIds = PEER_PETS;
  if (server.name.startsWith('ours')) {
    const { items } = (await (await fetch(`${base}/v1/inventory`)).json()) as {
      items: Array<{ petId: string }>;
    };
    petIds = items.slice(0, 16).map((item) => item.petId);
  }
  return { server, petIds, headers: await inventoryWriteHeaders(base, petIds[0]!) };
}

/**
 * W8 (issue #17, items 1 and 4): the whole write-to-wire path. Its own server processes (raw, ours, the peers;
 * ours on Postgres for the write alone when `BENCH_PG_URL` answers), a writer process and subscriber
 * processes; repetitions interleave the servers (order reversed every other one).
 */
export async function runW8(options: {
  config: BenchConfig;
  results: Results;
  step: Step;
  skipped: string[];
}): Promise<string[]> {
  const { config, results, step, skipped } = options;
  const w8 = config.w8;
  const names = SERVERS.filter((name) => !config.servers || config.servers.includes(name));
  const servers: ServerProcess[] = [];
  const loadgens: LoadGenerator[] = [];
  let database: PostgresDatabase | undefined;
  try {
    const onPostgres = !config.servers || config.servers.includes('ours on Postgres');
    if (!onPostgres) {
      // Left out by BENCH_SERVERS.
    } else if (await PostgresDatabase.reachable(config.w7.postgresUrl)) {
      database = await PostgresDatabase.create(config.w7.postgresUrl, 'ours', 'bench_w8');
    } else skipped.push(`W8 on Postgres: no Postgres server answered at ${config.w7.postgresUrl}`);
    const started = await step('all', 'W8 start servers, writer and subscriber processes', () =>
      Promise.all([
        ...names.map((name) => ServerProcess.start(name, name)),
        ...(database
          ? [ServerProcess.start('ours on Postgres', 'ours', { OURS_DATABASE_URL: database.url })]
          : []),
        ...Array.from({ length: 1 + w8.subscriberProcesses }, () => LoadGenerator.start()),
      ]),
    );
    for (const child of started) {
      if (child instanceof ServerProcess) servers.push(child);
      else loadgens.push(child);
    }
    const [writer, ...subscribers] = loadgens as [LoadGenerator, ...LoadGenerator[]];
    const targets = await Promise.all(servers.map(targetOf));
    const broadcasting = targets.filter((t) => t.server.name !== 'ours on Postgres');
    for (let rep = 0; rep < config.repetitions; rep++) {
      const order = rep % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const name = target.server.name;
        const prefix = `rep ${rep + 1}/${config.repetitions} ${name.padEnd(16)} `;
        const ctx: W8Context = {
          config: w8,
          results,
          writer,
          subscribers,
          step: (label, work) => step(name, `${prefix}${label}`, work),
        };
        const onPostgres = name === 'ours on Postgres';
        await writeAlone(ctx, target, w8AloneSection(''));
        if (onPostgres || !broadcasting.includes(target)) continue;
        for (const [i, size] of w8.sizes.entries()) {
          const leftOut = size > 1000 && w8.largeServers !== 'all' && !w8.largeServers.includes(name);
          if (!leftOut) await writesToSubscribers(ctx, target, size, w8.rates[i]!);
        }
      }
    }
  } finally {
    for (const server of servers) server.stop();
    for (const loadgen of loadgens) loadgen.stop();
    // The server on it must be gone before the database can be dropped (FORCE ends any session left).
    await database?.drop().catch(() => {});
  }
  return servers.map((server) => server.name);
}
