export { type Db, withinTransaction } from './Db.js';
export * from './errors/index.js';
export {
  createEventsRepository,
  type EventDraft,
  type EventsRepository,
  type StoredEvent,
  type StreamBounds,
} from './eventsRepository.js';
export {
  type ClaimOptions,
  type ClaimResult,
  createIdempotencyRepository,
  type IdempotencyKeyId,
  type IdempotencyRecord,
  type IdempotencyRepository,
  type StoredResponse,
} from './idempotencyRepository.js';
export {
  createInventoryRepository,
  type InventoryChange,
  type InventoryRepository,
  type InventoryUpdate,
  type ValueChange,
} from './inventoryRepository.js';
export { isLockConflict } from './lockConflict.js';
export { type MigrateOptions, migrate } from './migrate.js';
export { createStore, openStore, type Repositories, type Store, type StoreOptions } from './openStore.js';
export { type AdvanceStatus, FINAL_STATUSES, nextStatus, ORDER_FLOW } from './orderFlow.js';
export {
  type AdvanceOptions,
  createOrdersRepository,
  type OrdersRepository,
  type OrdersRepositoryOptions,
  type OrderWithStock,
  type StockLevelChange,
} from './ordersRepository.js';
export {
  createPetsRepository,
  type PetQuery,
  type PetsRepository,
  type PetsRepositoryOptions,
} from './petsRepository.js';
export { openPglite, type PgliteOptions, pgliteDb } from './pgliteDb.js';
export { openPostgres, type PostgresOptions } from './postgresDb.js';
export { seed } from './seed.js';
export { SEED_PETS, TRAIT_VOCABULARY } from './seedCatalog.js';
export { SEED_USERS, type SeedUser } from './seedUsers.js';
export {
  createStreamTicketsRepository,
  type StreamTicketGrant,
  type StreamTicketsRepository,
} from './streamTicketsRepository.js';
export { createUsersRepository, MAX_LIKES, type UsersRepository } from './usersRepository.js';
export { uuidv7, uuidv7Of } from './uuidv7.js';
export type { WriteOptions } from './WriteOptions.js';
export { currentWriteClaim, runWithWriteClaim, type WriteClaim } from './writeClaim.js';
