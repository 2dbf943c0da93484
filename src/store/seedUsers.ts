import type { components } from '../../generated/openapi.js';

type Preferences = components['schemas']['Preferences'];

/** A demo user; `likes` names pets of the seed catalog, oldest like first. */
export interface SeedUser {
  id: string;
  name: string;
  preferences: Preferences;
  likes: readonly string[];
}

/** The demo users, each with a different taste, so recommendations visibly differ between them. */
export const SEED_USERS: readonly SeedUser[] = [
  {
    id: 'user-456',
    name: 'Alex Rivera',
    preferences: {
      species: ['cat'],
      sizes: ['small', 'medium'],
      maxPrice: 300,
      traits: ['calm', 'affectionate'],
    },
    likes: ['Whiskers', 'Mochi', 'Misty'],
  },
  {
    id: 'user-123',
    name: 'Jordan Lee',
    preferences: {
      species: ['dog'],
      sizes: ['medium', 'large'],
      maxPrice: 1000,
      traits: ['good-with-kids', 'energetic'],
    },
    likes: ['Biscuit', 'Max'],
  },
  {
    id: 'user-789',
    name: 'Sam Patel',
    preferences: {
      species: ['bird', 'fish'],
      maxPrice: 150,
      traits: ['quiet', 'low-maintenance', 'colorful'],
    },
    likes: ['Bubbles'],
  },
  {
    id: 'user-321',
    name: 'Priya Nair',
    preferences: {
      species: ['rabbit', 'guinea-pig', 'hamster'],
      sizes: ['small'],
      maxAgeMonths: 24,
      traits: ['good-with-kids', 'gentle', 'cuddly'],
    },
    likes: ['Thumper', 'Snowball'],
  },
  {
    id: 'user-654',
    name: 'Morgan Blake',
    preferences: {
      species: ['reptile'],
      minAgeMonths: 12,
      traits: ['independent', 'low-maintenance', 'quiet'],
    },
    likes: [],
  },
  {
    id: 'user-999',
    name: 'Taylor Quinn',
    preferences: {},
    likes: [],
  },
];
