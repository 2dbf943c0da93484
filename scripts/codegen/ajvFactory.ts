import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Keywords that OpenAPI and AsyncAPI allow in schemas but that do not validate anything. */
const ANNOTATIONS = ['example', 'discriminator', 'xml', 'externalDocs'];

/**
 * An Ajv for the contract's schemas: JSON Schema 2020-12 (OpenAPI 3.1's dialect, and a superset of what the
 * shared schemas use), strict, with formats; `multipleOf` compares as a decimal rule
 * (with a float tolerance), as `withWholeCents` needs.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allErrors: true,
    multipleOfPrecision: 6,
    ...options,
  });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  return ajv;
}
