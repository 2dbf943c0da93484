import type { Pet } from '../recommendations/index.js';

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `$1,200.00` */
export const price = (pet: Pet): string => USD.format(pet.price);

/** `Biscuit the Beagle` */
export const label = (pet: Pet): string => `${pet.name} the ${pet.breed}`;

/** `2 are in stock`, `1 is in stock`, `none are in stock right now` */
export const stockPhrase = (pet: Pet): string =>
  pet.stock === 0 ? 'none are in stock right now' : `${pet.stock} ${pet.stock === 1 ? 'is' : 'are'} in stock`;

/** `8-month-old`, `2-year-old` */
export const agePhrase = (months: number): string =>
  months < 24 ? `${months}-month-old` : `${Math.floor(months / 12)}-year-old`;

/** `good-with-kids` → `good with kids` */
export const traitPhrase = (trait: string): string => trait.replaceAll('-', ' ');

/** `dogs`, `fish`, `guinea pigs` */
export const plural = (species: string): string =>
  ({ fish: 'fish', 'guinea-pig': 'guinea pigs' })[species] ?? `${species}s`;

/** `a`, `a and b`, `a, b and c` */
export function listPhrase(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `small or medium cats and dogs`, or `pets` when nothing narrows it down. */
export function kindPhrase(species: readonly string[], sizes: readonly string[]): string {
  const kinds = species.length > 0 ? listPhrase(species.map(plural)) : 'pets';
  return sizes.length > 0 ? `${sizes.join(' or ')} ${kinds}` : kinds;
}

/** `a` or `an`, as the word after it is spoken (`an 18-month-old`, `an 8-year-old`). */
const article = (word: string): string => (/^(8|11-|18-|[aeiou])/i.test(word) ? 'an' : 'a');

/** `Whiskers, an 18-month-old medium Maine Coon (cat): calm, affectionate, good with kids` */
export function profile(pet: Pet): string {
  const age = agePhrase(pet.ageMonths);
  const traits = pet.traits.length > 0 ? `: ${pet.traits.map(traitPhrase).join(', ')}` : '';
  return `${pet.name}, ${article(age)} ${age} ${pet.size} ${pet.breed} (${traitPhrase(pet.species)})${traits}`;
}
