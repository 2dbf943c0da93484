import { ConflictError } from './ConflictError.js';

/** An order asked for more units of a pet than are in stock; nothing was taken. */
export class InsufficientStockError extends ConflictError {
  readonly petId: string;
  readonly requested: number;
  readonly available: number;

  constructor(petId: string, requested: number, available: number) {
    super(
      `Pet ${petId} has ${available} in stock but the order asked for ${requested}; order at most ${available}.`,
    );
    this.name = 'InsufficientStockError';
    this.petId = petId;
    this.requested = requested;
    this.available = available;
  }
}
