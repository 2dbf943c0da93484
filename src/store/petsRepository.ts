import type { components } from '../../generated/openapi.js';
import { type Db, withinTransaction } from './Db.js';
import { isUuid } from './isUuid.js';
import { insertPet, PET_COLUMNS, type PetRow, toPet } from './petRow.js';
import { uuidv7 } from './uuidv7.js';
import type { WriteOptions } from './WriteOptions.js';

type Pet = components['schemas']['Pet'];
type PetCreate = components['schemas']['PetCreate'];
type PetUpdate = components['schemas']['PetUpdate'];

/** A page request over the catalog. */
export interface PetQuery {
  species?: Pet['species'] | undefined;
  size?: Pet['size'] | undefined;
  /** Page size. Default: 20. */
  limit?: number | undefined;
  /** Pets to skip. Default: 0. */
  offset?: number | undefined;
}

/** The pet catalog. Stock and price change through the inventory repository. */
export interface PetsRepository {
  /** A page of pets matching the filter, oldest first (by `createdAt`, then id), and how many match in all. */
  list(query?: PetQuery): Promise<{ items: Pet[]; total: number }>;
  get(id: string): Promise<Pet | undefined>;
  /** Adds a pet with a new UUIDv7 id. Defaults: `traits` `[]`, `description` `''`. */
  create(input: PetCreate, options?: WriteOptions): Promise<Pet>;
  /** Changes the given fields and `updatedAt`; `undefined` when no pet has the id. */
  update(id: string, changes: PetUpdate, options?: WriteOptions): Promise<Pet | undefined>;
  /** Every pet, oldest first (for the recommender). */
  all(): Promise<Pet[]>;
}

/** Id generation for new pets. */
export interface PetsRepositoryOptions {
  /** Default: the process-wide {@link uuidv7}. */
  newId?: (() => string) | undefined;
}

const FILTER = '($1::text IS NULL OR species = $1) AND ($2::text IS NULL OR size = $2)';

/** The pet catalog over a {@link Db}. */
export function createPetsRepository(db: Db, options: PetsRepositoryOptions = {}): PetsRepository {
  const newId = options.newId ?? uuidv7;
  return {
    async list(query = {}) {
      const filter = [query.species ?? null, query.size ?? null];
      const [counted] = await db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM pets WHERE ${FILTER}`,
        filter,
      );
      const rows = await db.query<PetRow>(
        `SELECT ${PET_COLUMNS} FROM pets WHERE ${FILTER} ORDER BY created_at, id LIMIT $3 OFFSET $4`,
        [...filter, query.limit ?? 20, query.offset ?? 0],
      );
      return { items: rows.map(toPet), total: counted?.total ?? 0 };
    },

    async get(id) {
      if (!isUuid(id)) return undefined;
      const rows = await db.query<PetRow>(`SELECT ${PET_COLUMNS} FROM pets WHERE id = $1`, [id]);
      return rows[0] && toPet(rows[0]);
    },

    create(input, { now = new Date() } = {}) {
      const at = now.toISOString();
      // A write is a transaction, even of one statement: an Idempotency-Key is marked applied in it.
      return withinTransaction(db, (tx) =>
        insertPet(tx, {
          id: newId(),
          name: input.name,
          species: input.species,
          breed: input.breed,
          size: input.size,
          ageMonths: input.ageMonths,
          traits: input.traits ?? [],
          description: input.description ?? '',
          price: input.price,
          stock: input.stock,
          createdAt: at,
          updatedAt: at,
        }),
      );
    },

    async update(id, changes, { now = new Date() } = {}) {
      if (!isUuid(id)) return undefined;
      const rows = await withinTransaction(db, (tx) =>
        tx.query<PetRow>(
          `UPDATE pets SET name = coalesce($2, name), breed = coalesce($3, breed), size = coalesce($4, size),
           age_months = coalesce($5, age_months), traits = coalesce($6::text[], traits),
           description = coalesce($7, description), updated_at = $8
         WHERE id = $1 RETURNING ${PET_COLUMNS}`,
          [
            id,
            changes.name ?? null,
            changes.breed ?? null,
            changes.size ?? null,
            changes.ageMonths ?? null,
            changes.traits ?? null,
            changes.description ?? null,
            now.toISOString(),
          ],
        ),
      );
      return rows[0] && toPet(rows[0]);
    },

    async all() {
      const rows = await db.query<PetRow>(`SELECT ${PET_COLUMNS} FROM pets ORDER BY created_at, id`);
      return rows.map(toPet);
    },
  };
}
