import { BANNER } from './banner.js';
import type { OperationModel } from './operationModel.js';
import { validatorName } from './validators.js';

const quote = (value: string): string => `'${value.replaceAll("'", "\\'")}'`;

/** `generated/operations.ts`: every REST operation with the validators of its inputs and outputs. */
export function generateOperations(operations: readonly OperationModel[]): string {
  const lines = [
    BANNER,
    '',
    "import * as params from './validators/params.js';",
    "import * as schemas from './validators/schemas.js';",
    '',
    '/**',
    ' * Each OpenAPI operation: method, path (OpenAPI template), validators for query and path parameters',
    ' * (these coerce strings to numbers and fill defaults in place), the JSON body, and each response body',
    ' * by status (for a stream, the schema of one parsed frame).',
    ' */',
    'export const operations = {',
  ];
  for (const operation of operations) {
    const id = operation.operationId;
    lines.push(
      `  ${id}: {`,
      `    method: ${quote(operation.method.toUpperCase())},`,
      `    path: ${quote(operation.path)},`,
    );
    if (operation.query.names.length > 0) lines.push(`    query: params.${id}Query,`);
    if (operation.params.names.length > 0) lines.push(`    params: params.${id}Params,`);
    if (operation.body) lines.push(`    body: schemas.${validatorName(operation.body, `${id}Body`)},`);
    lines.push(`    bodyRequired: ${operation.bodyRequired},`);
    if (operation.channel) lines.push(`    channel: ${quote(operation.channel)},`);
    lines.push('    responses: {');
    for (const [status, schema] of Object.entries(operation.responses)) {
      lines.push(`      ${quote(status)}: schemas.${validatorName(schema, `${id}Response${status}`)},`);
    }
    lines.push('    },', '  },');
  }
  lines.push('} as const;', '', 'export type OperationId = keyof typeof operations;', '');
  return lines.join('\n');
}
