import type { Db } from './Db.js';
import { createEventsRepository, type EventsRepository } from './eventsRepository.js';
import { createIdempotencyRepository, type IdempotencyRepository } from './idempotencyRepository.js';
import { createInventoryRepository, type InventoryRepository } from './inventoryRepository.js';
import { migrate } from './migrate.js';
import { createOrdersRepository, type OrdersRepository } from './ordersRepository.js';
import { createPetsRepository, type PetsRepository } from './petsRepository.js';
import { openPglite } from './pgliteDb.js';
import { seed } from './seed.js';
import { createStreamTicketsRepository, type StreamTicketsRepository } from './streamTicketsRepository.js';
import { createUsersRepository, type UsersRepository } from './usersRepository.js';
import { settlingWriteClaims } from './writeClaim.js';

/** One repository per aggregate, over one database handle. */
export interface Repositories {
  db: Db;
  pets: PetsRepository;
  inventory: InventoryRepository;
  orders: OrdersRepository;
  users: UsersRepository;
  streamTickets: StreamTicketsRepository;
  idempotencyKeys: IdempotencyRepository;
}

/** The data layer: the repositories over one database, the event outbox, and transactions over both. */
export interface Store extends Repositories {
  events: EventsRepository;
  /**
   * Runs `fn` in one transaction with the repositories bound to it: every change made through them (and the
   * events appended with `events.append(tx.db, …)`) commits together or not at all.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** The repositories over another handle of this database: a transaction's, or a savepoint's inside one. */
  repositoriesOn(db: Db): Repositories;
  /** Closes the database. */
  close(): Promise<void>;
}

function repositories(db: Db): Repositories {
  return {
    db,
    pets: createPetsRepository(db),
    inventory: createInventoryRepository(db),
    orders: createOrdersRepository(db),
    users: createUsersRepository(db),
    streamTickets: createStreamTicketsRepository(db),
    idempotencyKeys: createIdempotencyRepository(db),
  };
}

/** How to open the store. */
export interface StoreOptions {
  /** The embedded database's folder, kept across restarts. Default: none, an in-memory database. */
  dataDir?: string | undefined;
  /** Start the embedded database from this `dumpDataDir()` tarball instead of an empty one. Default: none. */
  loadDataDir?: Blob | undefined;
  /** A Postgres server (`postgres://…`) instead of the embedded database; `dataDir` is then ignored. */
  databaseUrl?: string | undefined;
  /** Fill an empty catalog with the demo pets and users. Default: `true`. */
  seed?: boolean | undefined;
}

/** Builds the repositories over an open, migrated database. */
export function createStore(database: Db): Store {
  // A request holding an Idempotency-Key marks it applied in the transaction of its change (writeClaim.ts).
  const db = settlingWriteClaims(database);
  return {
    ...repositories(db),
    events: createEventsRepository(db),
    transaction: (fn) => db.transaction((tx) => fn(repositories(tx))),
    repositoriesOn: repositories,
    close: () => db.close(),
  };
}

/**
 * Opens the database — a Postgres server when `databaseUrl` is given, else the embedded PGlite — applies pending migrations, seeds an empty catalog and returns the
 * repositories. Defaults: in memory, seeded.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  // pg (~0.2 s to load) is imported only for a Postgres server, so a start on the embedded database skips it.
  const db = options.databaseUrl
    ? await (await import('./postgresDb.js')).openPostgres({ connectionString: options.databaseUrl })
    : await openPglite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  try {
    await migrate(db);
    if (options.seed ?? true) await seed(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createStore(db);
}
