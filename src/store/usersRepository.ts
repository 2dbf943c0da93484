import type { components } from '../../generated/openapi.js';
import { type Db, withinTransaction } from './Db.js';
import { ConflictError } from './errors/ConflictError.js';
import { NotFoundError } from './errors/NotFoundError.js';
import { isUuid } from './isUuid.js';
import type { WriteOptions } from './WriteOptions.js';

type User = components['schemas']['User'];
type Preferences = components['schemas']['Preferences'];

/** Users, their preferences and the pets they like. */
export interface UsersRepository {
  /** A user with `likedPetIds` in the order they were liked. */
  get(id: string): Promise<User | undefined>;
  /** Replaces the user's preferences; `undefined` when no user has the id. */
  putPreferences(id: string, preferences: Preferences): Promise<User | undefined>;
  /**
   * Records that the user likes a pet; liking a pet again changes nothing. `undefined` when no user has the
   * id; NotFoundError when no pet has `petId`; ConflictError past {@link MAX_LIKES} likes.
   */
  like(id: string, petId: string, options?: WriteOptions): Promise<User | undefined>;
}

/** The most pets one user may like (the User schema's `likedPetIds.maxItems`). */
export const MAX_LIKES = 500;

interface UserRow {
  id: string;
  name: string;
  preferences: Preferences;
  liked_pet_ids: string[];
}

const SELECT_USER = `SELECT id, name, preferences,
  array(SELECT pet_id::text FROM user_likes WHERE user_id = users.id ORDER BY liked_at, pet_id) AS liked_pet_ids
  FROM users WHERE id = $1`;

async function getUser(db: Db, id: string): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(SELECT_USER, [id]);
  return row && { id: row.id, name: row.name, preferences: row.preferences, likedPetIds: row.liked_pet_ids };
}

async function addLike(tx: Db, id: string, petId: string, now: Date): Promise<User | undefined> {
  const user = await getUser(tx, id);
  if (!user) return undefined;
  if (user.likedPetIds.includes(petId)) return user;
  const [pet] = isUuid(petId) ? await tx.query('SELECT 1 FROM pets WHERE id = $1', [petId]) : [];
  if (!pet) throw new NotFoundError('pet', petId);
  if (user.likedPetIds.length >= MAX_LIKES) {
    throw new ConflictError(`User ${id} already likes ${MAX_LIKES} pets, the most allowed.`);
  }
  await tx.query(
    'INSERT INTO user_likes (user_id, pet_id, liked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [id, petId, now.toISOString()],
  );
  return getUser(tx, id);
}

/** Users over a {@link Db}. */
export function createUsersRepository(db: Db): UsersRepository {
  return {
    get: (id) => getUser(db, id),

    putPreferences: (id, preferences) =>
      withinTransaction(db, async (tx) => {
        const updated = await tx.query(
          'UPDATE users SET preferences = $2::text::jsonb WHERE id = $1 RETURNING id',
          [id, JSON.stringify(preferences)],
        );
        return updated.length === 0 ? undefined : getUser(tx, id);
      }),

    like: (id, petId, { now = new Date() } = {}) =>
      withinTransaction(db, (tx) => addLike(tx, id, petId, now)),
  };
}
