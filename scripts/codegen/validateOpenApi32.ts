import { Validator } from '@seriousme/openapi-schema-validator';
import type { JsonObject } from './bundle.js';
import type { SpecProblem } from './problems.js';

const FILE = 'generated/specs/openapi-3.2.json';

interface SchemaError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Validates the OpenAPI 3.2 document codegen derives (`toOpenApi32`) against the official OpenAPI 3.2 JSON
 * Schema, as shipped by `@seriousme/openapi-schema-validator` (Ajv with the validator's own settings).
 */
export async function validateOpenApi32(doc: JsonObject): Promise<SpecProblem[]> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  if (result.valid) return [];
  if (validator.version !== '3.2')
    return [{ file: FILE, pointer: '/openapi', message: `is read as OpenAPI ${validator.version}, not 3.2` }];
  const errors = (Array.isArray(result.errors) ? result.errors : []) as SchemaError[];
  return errors.map((error) => ({
    file: FILE,
    pointer: error.instancePath ?? '',
    message: `${error.message ?? 'is not valid'}${describe(error.params)}`,
  }));
}

function describe(params: Record<string, unknown> | undefined): string {
  const extra = params?.additionalProperty;
  return typeof extra === 'string' ? ` ("${extra}")` : '';
}
