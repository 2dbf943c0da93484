import type { components } from '../../generated/openapi.js';

type PetCreate = components['schemas']['PetCreate'];

/** A valid new pet, a Maine Coon cat at 249.99 with 3 in stock, with `overrides` applied. */
export function petCreate(overrides: Partial<PetCreate> = {}): PetCreate {
  return {
    name: 'Whiskers',
    species: 'cat',
    breed: 'Maine Coon',
    size: 'medium',
    ageMonths: 18,
    traits: ['calm', 'affectionate'],
    description: 'A gentle giant who loves naps in the sun.',
    price: 249.99,
    stock: 3,
    ...overrides,
  };
}
