export { createPetService, type PetService } from './petService.js';
