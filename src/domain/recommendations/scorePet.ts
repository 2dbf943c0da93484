import type { components } from '../../../generated/openapi.js';

type Pet = components['schemas']['Pet'];
type Preferences = components['schemas']['Preferences'];

/** One reason a pet scored, with its share of the score. */
export interface Match {
  weight: number;
  reason: string;
}

export interface PetScore {
  /** 0..1, rounded to 3 decimals. */
  score: number;
  /** What matched, strongest first. */
  matches: Match[];
}

/** How much each signal can add; they sum to 1. */
export const WEIGHTS = {
  species: 0.3,
  traits: 0.2,
  likedSimilarity: 0.15,
  size: 0.15,
  age: 0.1,
  price: 0.1,
} as const;

const plural = (species: string): string =>
  ({ 'guinea-pig': 'guinea pigs', fish: 'fish', bunny: 'bunnies' })[species] ?? `${species}s`;
const readableTraits = (traits: readonly string[]): string =>
  traits.map((trait) => trait.replaceAll('-', ' ')).join(', ');

/** Jaccard similarity of two pets' features: species, size, age band and traits. */
export function similarity(a: Pet, b: Pet): number {
  const features = (pet: Pet) =>
    new Set([
      `species:${pet.species}`,
      `size:${pet.size}`,
      `age:${Math.min(4, Math.floor(pet.ageMonths / 24))}`,
      ...pet.traits.map((t) => `trait:${t}`),
    ]);
  const left = features(a);
  const right = features(b);
  const shared = [...left].filter((feature) => right.has(feature)).length;
  return shared / (left.size + right.size - shared);
}

function ageFit(pet: Pet, preferences: Preferences): number {
  const min = preferences.minAgeMonths ?? 0;
  const max = preferences.maxAgeMonths ?? Number.POSITIVE_INFINITY;
  if (pet.ageMonths >= min && pet.ageMonths <= max) return 1;
  const distance = pet.ageMonths < min ? min - pet.ageMonths : pet.ageMonths - max;
  return Math.max(0, 1 - distance / 24);
}

/**
 * Scores one pet for one user, content-based and explainable: each signal (preferred species, traits, size,
 * age range, budget, similarity to liked pets) adds its weight times how well it matches, and names itself in
 * the reasons. A signal the user expressed no preference for adds half its weight and no reason.
 */
export function scorePet(pet: Pet, preferences: Preferences, liked: readonly Pet[]): PetScore {
  const matches: Match[] = [];
  let score = 0;
  const add = (weight: number, fit: number, reason: string | undefined) => {
    score += weight * fit;
    if (reason && fit > 0) matches.push({ weight: weight * fit, reason });
  };

  if (preferences.species?.length)
    add(
      WEIGHTS.species,
      preferences.species.includes(pet.species) ? 1 : 0,
      `Matches your preference for ${plural(pet.species)}`,
    );
  else add(WEIGHTS.species, 0.5, undefined);

  const wanted = preferences.traits ?? [];
  const shared = pet.traits.filter((trait) => wanted.includes(trait));
  if (wanted.length)
    add(
      WEIGHTS.traits,
      shared.length / wanted.length,
      `Has the traits you asked for: ${readableTraits(shared)}`,
    );
  else add(WEIGHTS.traits, 0.5, undefined);

  if (preferences.sizes?.length)
    add(WEIGHTS.size, preferences.sizes.includes(pet.size) ? 1 : 0, `Fits your preferred size (${pet.size})`);
  else add(WEIGHTS.size, 0.5, undefined);

  if (preferences.minAgeMonths !== undefined || preferences.maxAgeMonths !== undefined)
    add(WEIGHTS.age, ageFit(pet, preferences), 'In your preferred age range');
  else add(WEIGHTS.age, 0.5, undefined);

  if (preferences.maxPrice !== undefined) {
    const fit =
      pet.price <= preferences.maxPrice
        ? 1
        : Math.max(0, 1 - (pet.price - preferences.maxPrice) / preferences.maxPrice);
    add(
      WEIGHTS.price,
      fit,
      pet.price <= preferences.maxPrice ? `Within your budget of $${preferences.maxPrice}` : undefined,
    );
  } else add(WEIGHTS.price, 0.5, undefined);

  const closest = liked
    .map((other) => ({ other, fit: similarity(pet, other) }))
    .sort((a, b) => b.fit - a.fit)[0];
  if (closest) add(WEIGHTS.likedSimilarity, closest.fit, `Similar to ${closest.other.name}, whom you liked`);
  else add(WEIGHTS.likedSimilarity, 0.5, undefined);

  matches.sort((a, b) => b.weight - a.weight);
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000, matches };
}
