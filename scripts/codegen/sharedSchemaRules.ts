import type { BundledSpec, JsonObject } from './bundle.js';
import type { SpecProblem } from './problems.js';

/** The house rules for shared schemas: a title, at least one example, closed objects with required fields. */
export function checkSharedSchemas(spec: BundledSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const schemas = (spec.doc.components as JsonObject).schemas as JsonObject;
  for (const name of spec.sharedSchemas) {
    const schema = schemas[name] as JsonObject;
    const file = `spec/schemas/${name}.yaml`;
    if (schema.title !== name)
      problems.push({ file, pointer: '/title', message: `title must be "${name}", the file's name` });
    if (!Array.isArray(schema.examples) || schema.examples.length === 0) {
      problems.push({ file, pointer: '/examples', message: 'add at least one example' });
    }
    if (schema.type === 'object') {
      if (schema.additionalProperties !== false) {
        problems.push({
          file,
          pointer: '/additionalProperties',
          message: 'objects are closed: additionalProperties: false',
        });
      }
    }
  }
  return problems;
}
