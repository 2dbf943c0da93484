import type { components } from '../../../generated/openapi.js';
import type { UsersRepository } from '../../store/index.js';
import { notFound } from '../DomainError.js';

type User = components['schemas']['User'];
type Preferences = components['schemas']['Preferences'];

/** Users, their preferences and the pets they liked (what recommendations are made from). */
export interface UserService {
  get(userId: string): Promise<User>;
  putPreferences(userId: string, preferences: Preferences): Promise<User>;
  /** Idempotent: liking a pet twice keeps one like. */
  like(userId: string, petId: string): Promise<User>;
}

export function createUserService(users: UsersRepository): UserService {
  const found = (userId: string, user: User | undefined): User => {
    if (!user) throw notFound('user', userId);
    return user;
  };
  return {
    get: async (userId) => found(userId, await users.get(userId)),
    putPreferences: async (userId, preferences) =>
      found(userId, await users.putPreferences(userId, preferences)),
    like: async (userId, petId) => found(userId, await users.like(userId, petId)),
  };
}
