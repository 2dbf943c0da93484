import type { BundledSpec, JsonObject } from './bundle.js';
import type { OperationModel } from './operationModel.js';
import type { SpecProblem } from './problems.js';

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};

/** Each AsyncAPI channel's http binding query (of its `send` operation), by channel id. */
function bindingQueries(asyncapi: BundledSpec): Map<string, { pointer: string; query: JsonObject }> {
  const found = new Map<string, { pointer: string; query: JsonObject }>();
  for (const [id, raw] of Object.entries(asObject(asyncapi.doc.operations))) {
    const operation = asObject(raw);
    const ref = asObject(operation.channel).$ref;
    const query = asObject(asObject(asObject(operation.bindings).http).query);
    if (typeof ref !== 'string' || Object.keys(query).length === 0) continue;
    found.set(ref.split('/').at(-1)!, { pointer: `/operations/${id}/bindings/http/query`, query });
  }
  return found;
}

/**
 * A stream's query string is the AsyncAPI http binding's `query` schema, which closes it
 * (`additionalProperties: false`): the OpenAPI operation serving the channel must declare exactly the same
 * query parameters (its query credentials, such as a stream ticket, included), and (as every operation that
 * declares a 400 answer) refuses any other.
 */
export function checkStreamQueries(
  asyncapi: BundledSpec,
  operations: readonly OperationModel[],
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const bindings = bindingQueries(asyncapi);
  for (const operation of operations) {
    if (operation.channel === undefined) continue;
    const binding = bindings.get(operation.channel);
    if (binding === undefined) continue;
    const report = (message: string) =>
      problems.push({ file: 'spec/asyncapi.yaml', pointer: binding.pointer, message });
    if (binding.query.additionalProperties !== false)
      report('a stream query is closed: set additionalProperties: false');
    const declared = Object.keys(asObject(binding.query.properties)).sort();
    const served = [...operation.query.names, ...operation.query.credentials].sort();
    if (declared.join() !== served.join())
      report(
        `names ${declared.join(', ')}, but OpenAPI ${operation.operationId} declares ${served.join(', ')}`,
      );
    if (!operation.query.closed)
      report(`OpenAPI ${operation.operationId} must declare a 400 answer to refuse an unknown parameter`);
  }
  return problems;
}
