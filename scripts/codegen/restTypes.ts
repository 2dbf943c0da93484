import openapiTS, { astToString } from 'openapi-typescript';
import { BANNER } from './banner.js';
import type { JsonObject } from './bundle.js';

/** REST types (`paths`, `components`, `operations`) from the bundled OpenAPI document. */
export async function generateRestTypes(doc: JsonObject): Promise<string> {
  const ast = await openapiTS(structuredClone(doc) as never, { alphabetize: false });
  return `${BANNER}\n\n${astToString(ast)}`;
}
