import { expect } from 'vitest';
import type { ValidateFunction } from '../../generated/validators/schemas.js';

/** Asserts that `value` passes a generated schema validator, showing Ajv's reasons when it does not. */
export function expectValid(validate: ValidateFunction, value: unknown): void {
  const valid = validate(value);
  expect(valid, `${JSON.stringify(validate.errors)}\n${JSON.stringify(value)}`).toBe(true);
}

/** Asserts {@link expectValid} for every item. */
export function expectAllValid(validate: ValidateFunction, values: readonly unknown[]): void {
  for (const value of values) expectValid(validate, value);
}
