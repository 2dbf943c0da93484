import { type OperationId, operations } from '../../../generated/operations.js';
import type { PathParams } from './operationTypes.js';

/** The path of operation `id` with its parameters filled in (encoded), e.g. for a `Location` header. */
export function operationPath<Id extends OperationId>(id: Id, params: PathParams<Id>): string {
  const values = params as Readonly<Record<string, string>>;
  return operations[id].path.replaceAll(/\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}
