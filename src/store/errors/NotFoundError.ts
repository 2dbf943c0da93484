import { StoreError } from './StoreError.js';

/** The kinds of record an operation may fail to find. */
export type StoreEntity = 'pet' | 'user' | 'order';

/** A record that an operation needs does not exist. */
export class NotFoundError extends StoreError {
  readonly entity: StoreEntity;
  readonly id: string;

  constructor(entity: StoreEntity, id: string) {
    super(
      'not_found',
      `No ${entity} has the id ${JSON.stringify(id)}; check the id, or create the ${entity} first.`,
    );
    this.name = 'NotFoundError';
    this.entity = entity;
    this.id = id;
  }
}
