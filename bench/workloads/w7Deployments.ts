import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inventoryWriteHeaders } from '../inventoryWriteHeaders.js';
import { AppProcess } from '../services/AppProcess.js';

/** A built checkout W7 runs: this tree (`ours`) or the "before" commit. */
export interface W7Tree {
  name: string;
  root: string;
}

/** Server processes of one W7 deployment, started for one repetition and stopped after it. */
export interface Deployment {
  instances: AppProcess[];
  /** Headers every write sends (a bearer token when inventory writes need one). */
  headers: Record<string, string>;
  /** The pets the writes go to, in turn. */
  petIds: string[];
  stop(): Promise<void>;
}

/** What every W7 server process gets: no rate limit, a quick shutdown, one token key for all instances. */
const COMMON_ENV = {
  RATE_LIMIT_PER_MINUTE: '0',
  SHUTDOWN_SPREAD_MS: '0',
  SHUTDOWN_TIMEOUT_MS: '2000',
  AUTH_JWT_SECRET: randomBytes(48).toString('base64'),
  AUTH_DEV_TOKENS: 'true',
};

/** W7a: `count` instances of `tree` on one Postgres database and one Redis (under `redisPrefix`). */
export async function startCluster(
  tree: W7Tree,
  services: { databaseUrl: string; redisUrl: string; redisPrefix: string },
  count: number,
): Promise<Deployment> {
  const env = {
    ...COMMON_ENV,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    REDIS_KEY_PREFIX: services.redisPrefix,
    // W7a is three single-process instances (WORKERS would otherwise fork one per core in each).
    WORKERS: '1',
  };
  // The first one alone: it migrates and seeds; the others find the database ready.
  const first = await AppProcess.start(`${tree.name}-1`, tree.root, env);
  const others = await Promise.all(
    Array.from({ length: count - 1 }, (_, i) => AppProcess.start(`${tree.name}-${i + 2}`, tree.root, env)),
  ).catch(async (error: unknown) => {
    await first.stop();
    throw error;
  });
  return deployment([first, ...others], () => {});
}

/** W7b: one process of `tree` on the embedded database (PGlite in a new temporary DATA_DIR). */
export async function startEmbedded(tree: W7Tree): Promise<Deployment> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'petstore-sse-bench-w7-'));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  const app = await AppProcess.start(`${tree.name}-embedded`, tree.root, {
    ...COMMON_ENV,
    DATA_DIR: dataDir,
  }).catch((error: unknown) => {
    cleanup();
    throw error;
  });
  return deployment([app], cleanup);
}

async function deployment(instances: AppProcess[], cleanup: () => void): Promise<Deployment> {
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    cleanup();
  };
  try {
    const base = `http://127.0.0.1:${instances[0]!.port}`;
    const { items } = (await (await fetch(`${base}/v1/inventory`)).json()) as {
      items: Array<{ petId: string }>;
    };
    const petIds = items.slice(0, 16).map((item) => item.petId);
    if (petIds.length === 0) throw new Error('GET /v1/inventory listed no pets');
    return { instances, headers: await inventoryWriteHeaders(base, petIds[0]!), petIds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
