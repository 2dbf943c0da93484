import type { components } from '../../../generated/openapi.js';
import type { PetQuery, PetsRepository } from '../../store/index.js';
import { notFound } from '../DomainError.js';

type Pet = components['schemas']['Pet'];
type PetCreate = components['schemas']['PetCreate'];
type PetUpdate = components['schemas']['PetUpdate'];
type PetList = components['schemas']['PetList'];

/** The pet catalog. Stock and price change through the inventory service, which publishes events. */
export interface PetService {
  list(query: PetQuery): Promise<PetList>;
  get(petId: string): Promise<Pet>;
  create(input: PetCreate): Promise<Pet>;
  update(petId: string, changes: PetUpdate): Promise<Pet>;
}

export function createPetService(pets: PetsRepository): PetService {
  return {
    list: (query) => pets.list(query),
    async get(petId) {
      const pet = await pets.get(petId);
      if (!pet) throw notFound('pet', petId);
      return pet;
    },
    create: (input) => pets.create(input),
    async update(petId, changes) {
      const pet = await pets.update(petId, changes);
      if (!pet) throw notFound('pet', petId);
      return pet;
    },
  };
}
