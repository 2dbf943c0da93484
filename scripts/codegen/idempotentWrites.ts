import { BANNER } from './banner.js';
import type { OperationModel } from './operationModel.js';

const quote = (value: string): string => `'${value.replaceAll("'", "\\'")}'`;

/**
 * `generated/idempotentWrites.ts`: the operations that take an `Idempotency-Key` header, with method and path
 * template. The server runs these through its idempotency keys; the client sends a key with them and retries
 * them. Small on purpose: the browser client imports it.
 */
export function generateIdempotentWrites(operations: readonly OperationModel[]): string {
  const lines = [
    BANNER,
    '',
    '/** The operations that take an `Idempotency-Key` header, by operationId: method and OpenAPI path template. */',
    'export const idempotentWrites = {',
  ];
  for (const operation of operations.filter((candidate) => candidate.idempotencyKey)) {
    lines.push(
      `  ${operation.operationId}: { method: ${quote(operation.method.toUpperCase())}, path: ${quote(operation.path)} },`,
    );
  }
  lines.push(
    '} as const;',
    '',
    '/** The operationId of an operation that takes an `Idempotency-Key` header. */',
    'export type IdempotentWrite = keyof typeof idempotentWrites;',
    '',
  );
  return lines.join('\n');
}
