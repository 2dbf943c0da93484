import type { JsonObject } from './bundle.js';

/** The shared schemas whose numbers are amounts of money in whole cents (see spec/schemas/Price.yaml). */
const WHOLE_CENTS = ['Price'];

/**
 * The component schemas the server's validators compile, with `multipleOf: 0.01` on each money schema.
 * The published documents leave it out: standard validators at default settings compare `multipleOf` in
 * binary floating point and refuse 19.99. The validators compiled here (`createAjv`, `multipleOfPrecision`)
 * compare it as the decimal rule it is, so requests with a third decimal are still refused and no frame
 * carries one. The input is not changed.
 */
export function withWholeCents(schemas: JsonObject): JsonObject {
  const out: JsonObject = { ...schemas };
  for (const name of WHOLE_CENTS) {
    const schema = out[name];
    if (typeof schema === 'object' && schema !== null) out[name] = { ...schema, multipleOf: 0.01 };
  }
  return out;
}
