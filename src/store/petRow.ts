import type { components } from '../../generated/openapi.js';
import type { Db } from './Db.js';
import { centsToDollars, dollarsToCents } from './money.js';
import { toTimestamp } from './timestamp.js';

type Pet = components['schemas']['Pet'];

/** A `pets` row as selected by {@link PET_COLUMNS}. */
export interface PetRow {
  id: string;
  name: string;
  species: Pet['species'];
  breed: string;
  size: Pet['size'];
  age_months: number;
  traits: string[];
  description: string;
  price_cents: number | bigint | string;
  stock: number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The select list that yields a {@link PetRow}. */
export const PET_COLUMNS =
  'id::text AS id, name, species, breed, size, age_months, traits, description, price_cents, stock, created_at, updated_at';

/** Converts a row to the `Pet` schema: cents to dollars, timestamps to ISO strings. */
export function toPet(row: PetRow): Pet {
  return {
    id: row.id,
    name: row.name,
    species: row.species,
    breed: row.breed,
    size: row.size,
    ageMonths: row.age_months,
    traits: row.traits,
    description: row.description,
    price: centsToDollars(row.price_cents),
    stock: row.stock,
    createdAt: toTimestamp(row.created_at),
    updatedAt: toTimestamp(row.updated_at),
  };
}

/** Inserts a complete pet (id and timestamps included) and returns it as stored. */
export async function insertPet(db: Db, pet: Pet): Promise<Pet> {
  const rows = await db.query<PetRow>(
    `INSERT INTO pets (id, name, species, breed, size, age_months, traits, description, price_cents, stock, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING ${PET_COLUMNS}`,
    [
      pet.id,
      pet.name,
      pet.species,
      pet.breed,
      pet.size,
      pet.ageMonths,
      pet.traits,
      pet.description,
      dollarsToCents(pet.price),
      pet.stock,
      pet.createdAt,
      pet.updatedAt,
    ],
  );
  return toPet(rows[0]!);
}
