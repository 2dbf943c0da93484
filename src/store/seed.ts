import type { Db } from './Db.js';
import { insertPet } from './petRow.js';
import { SEED_PETS } from './seedCatalog.js';
import { SEED_USERS, type SeedUser } from './seedUsers.js';

const SEED_LOCK = 7_450_202;
const FIRST_LIKE_AT = Date.parse('2026-11-01T12:00:00.000Z');
const LIKE_INTERVAL_MS = 60 * 60 * 1000;

function petIdNamed(name: string): string {
  const pet = SEED_PETS.find((candidate) => candidate.name === name);
  if (!pet) throw new Error(`A seed user likes ${name}, which is not in the seed catalog.`);
  return pet.id;
}

async function insertUser(tx: Db, user: SeedUser): Promise<void> {
  await tx.query(
    'INSERT INTO users (id, name, preferences) VALUES ($1, $2, $3::text::jsonb) ON CONFLICT DO NOTHING',
    [user.id, user.name, JSON.stringify(user.preferences)],
  );
  for (const [index, name] of user.likes.entries()) {
    await tx.query(
      'INSERT INTO user_likes (user_id, pet_id, liked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [user.id, petIdNamed(name), new Date(FIRST_LIKE_AT + index * LIKE_INTERVAL_MS).toISOString()],
    );
  }
}

/**
 * Fills an empty catalog with the demo pets ({@link SEED_PETS}) and users ({@link SEED_USERS}) in one
 * transaction. Does nothing when any pet exists, so it is safe on every start. Returns whether it seeded.
 */
export async function seed(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const [existing] = await tx.query('SELECT 1 FROM pets LIMIT 1');
    if (existing) return false;
    for (const pet of SEED_PETS) await insertPet(tx, pet);
    for (const user of SEED_USERS) await insertUser(tx, user);
    return true;
  });
}
