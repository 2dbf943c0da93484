import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FAST_ENV } from './fastEnv.js';
import { FaultDatabase, type Published } from './faultDatabase.js';
import { RedisServer } from './redisServer.js';
import { describe as describeEnding, ServerInstance } from './ServerInstance.js';
import { Subscriber, type SubscriberOptions } from './Subscriber.js';
import { report, type Tally, tally } from './tally.js';

export interface ScenarioSetup {
  /** `postgres` (with `redis` or not) or `embedded` (PGlite in a DATA_DIR of its own). */
  database: 'postgres' | 'embedded';
  redis?: boolean;
  instances: number;
  env?: Record<string, string>;
}

/**
 * What one fault scenario runs on: its own database (a new Postgres database, or a PGlite folder), its own
 * Redis, N compiled server processes, and subscribers spread over them. `dispose()` removes all of it.
 */
export class Scenario {
  readonly instances: ServerInstance[] = [];
  readonly subscribers: Subscriber[] = [];
  readonly #killed = new Set<ServerInstance>();
  database: FaultDatabase | undefined;
  redis: RedisServer | undefined;
  dataDir: string | undefined;

  constructor(readonly label: string) {}

  static async start(label: string, setup: ScenarioSetup): Promise<Scenario> {
    const scenario = new Scenario(label);
    try {
      const env = { ...FAST_ENV, ...setup.env };
      if (setup.database === 'postgres') {
        scenario.database = await FaultDatabase.create();
        env.DATABASE_URL = scenario.database.url;
      } else {
        scenario.dataDir = await mkdtemp(path.join(os.tmpdir(), 'faults-data-'));
        env.DATA_DIR = scenario.dataDir;
      }
      if (setup.redis) {
        scenario.redis = await RedisServer.start();
        env.REDIS_URL = scenario.redis.url;
      }
      for (let i = 0; i < setup.instances; i++) {
        scenario.instances.push(new ServerInstance(String.fromCharCode(65 + i), env));
      }
      // One at a time: they run the migrations and seeding under a lock anyway, and 2 cores are shared.
      for (const instance of scenario.instances) await instance.start();
    } catch (error) {
      await scenario.dispose();
      throw error;
    }
    return scenario;
  }

  /** Instance `i` (0: A, 1: B, …). */
  instance(i: number): ServerInstance {
    const instance = this.instances[i];
    if (!instance) throw new Error(`${this.label} has ${this.instances.length} instances, not ${i + 1}`);
    return instance;
  }

  running(): ServerInstance[] {
    return this.instances.filter((instance) => instance.running);
  }

  /** The URLs of the running instances, `preferred` first: where a load balancer would send a client. */
  targets(preferred: ServerInstance): () => string[] {
    return () => {
      const up = this.running();
      return up.includes(preferred)
        ? [preferred.url, ...up.filter((i) => i !== preferred).map((i) => i.url)]
        : up.map((i) => i.url);
    };
  }

  /** Round robin over the running instances (undefined when none runs). */
  spread(): (i: number) => string | undefined {
    return (i) => {
      const up = this.running();
      return up.length === 0 ? undefined : up[i % up.length]!.url;
    };
  }

  /** A subscriber of the inventory stream on `preferred`, started. */
  subscribe(name: string, preferred: ServerInstance, options: SubscriberOptions = {}): Subscriber {
    const subscriber = new Subscriber(name, this.targets(preferred), options).start();
    this.subscribers.push(subscriber);
    return subscriber;
  }

  /** Kills an instance on purpose (default SIGKILL): it is not counted as a crash. */
  async kill(instance: ServerInstance, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.#killed.add(instance);
    await instance.kill(signal);
    this.#killed.delete(instance);
  }

  /** Instances that ended without being killed on purpose, with the start of their output. */
  crashes(): string[] {
    return this.instances
      .filter(
        (instance) =>
          instance.ending !== undefined &&
          !this.#killed.has(instance) &&
          instance.ending.signal === null &&
          instance.ending.code !== 0,
      )
      .map(
        (instance) =>
          `${instance.name} exited (${describeEnding(instance.ending!)}):\n${instance.output.slice(0, 2000)}`,
      );
  }

  /**
   * Waits until every subscriber has seen the newest committed event (`head`, of `generation`), or `timeoutMs`
   * passed: then the counts tell what is missing.
   */
  async converge(generation: string, head: number, timeoutMs = 20_000): Promise<void> {
    const reached = (subscriber: Subscriber) => {
      const match = /^([0-9a-f]{12})\.(\d+)$/.exec(subscriber.lastEventId ?? '');
      return match?.[1] === generation && Number(match[2]) >= head;
    };
    await Promise.allSettled(
      this.subscribers.map((subscriber) =>
        subscriber.until(() => reached(subscriber), timeoutMs, `${generation}.${head}`),
      ),
    );
  }

  /** Stops the subscribers, prints a line of counts for each and returns what should not have happened. */
  async verdict(published: Published): Promise<{ counts: Tally[]; problems: string[] }> {
    await Promise.all(this.subscribers.map((subscriber) => subscriber.stop()));
    const problems: string[] = [];
    const counts = this.subscribers.map((subscriber) => {
      const counted = tally(published, subscriber);
      report(this.label, subscriber, counted);
      const { lost, dup, ooo, mismatched, lostSeqs } = counted;
      if (lost + dup + ooo + mismatched > 0) {
        problems.push(
          `${subscriber.name}: lost ${lost} (seqs ${lostSeqs.slice(0, 20).join(',')}), dup ${dup}, ooo ${ooo}, mismatched ${mismatched}; failures: ${subscriber.failures.slice(0, 10).join(', ')}`,
        );
      }
      return counted;
    });
    return { counts, problems };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.subscribers.map((subscriber) => subscriber.stop()));
    await Promise.all(this.instances.map((instance) => instance.kill()));
    await this.redis?.dispose();
    await this.database?.drop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}
