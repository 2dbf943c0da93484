import type { BundledSpec, JsonObject } from './bundle.js';
import type { OperationModel } from './operationModel.js';
import { type SpecProblem, toPointer } from './problems.js';

/**
 * Every scope an operation requires is one of the `Scope` schema's values (spec/schemas/Scope.yaml), which
 * `POST /v1/dev/tokens` issues: a scope named in a requirement but missing there could never be granted.
 */
export function checkScopes(openapi: BundledSpec, operations: readonly OperationModel[]): SpecProblem[] {
  const schemas = (openapi.doc.components as JsonObject | undefined)?.schemas as JsonObject | undefined;
  const known = ((schemas?.Scope as JsonObject | undefined)?.enum ?? []) as unknown[];
  return operations.flatMap((operation) =>
    operation.scopes
      .filter((scope) => !known.includes(scope))
      .map((scope) => ({
        file: 'spec/openapi.yaml',
        pointer: toPointer(['paths', operation.path, operation.method, 'security']),
        message: `scope ${scope} of ${operation.operationId} is not a value of spec/schemas/Scope.yaml`,
      })),
  );
}
