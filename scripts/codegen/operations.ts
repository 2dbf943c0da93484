import { BANNER } from './banner.js';
import type { OperationModel } from './operationModel.js';
import { validatorName } from './validators.js';

const quote = (value: string): string => `'${value.replaceAll("'", "\\'")}'`;

/** An OpenAPI path template as a Koa router path: `/v1/pets/{petId}` → `/v1/pets/:petId`. */
const koaPath = (path: string): string => path.replaceAll(/\{([A-Za-z0-9_]+)\}/g, ':$1');

/** `generated/operations.ts`: every REST operation with the validators of its inputs and outputs. */
export function generateOperations(operations: readonly OperationModel[]): string {
  const lines = [
    BANNER,
    '',
    "import * as params from './validators/params.js';",
    "import * as schemas from './validators/schemas.js';",
    '',
    '/**',
    ' * Each OpenAPI operation: method, path (OpenAPI template) and the same as a Koa router path, validators',
    ' * for query and path parameters (they fill defaults in place and take integers as numbers; the query of',
    ' * an operation that declares 400 is closed: an unknown parameter is refused), the query parameters that',
    ' * get a default, those that carry a credential (checked by authentication), the integer parameters (plain',
    ' * decimal digits only; `signed` allows a leading `-`), the scopes its access token must carry (`bearerAuth`',
    ' * scopes; empty: none), the JSON body, and each response body by status (for a stream, one parsed frame).',
    ' */',
    'export const operations = {',
  ];
  for (const operation of operations) {
    const id = operation.operationId;
    lines.push(
      `  ${id}: {`,
      `    method: ${quote(operation.method.toUpperCase())},`,
      `    path: ${quote(operation.path)},`,
      `    koaPath: ${quote(koaPath(operation.path))},`,
    );
    if (operation.query.names.length > 0 || operation.query.closed)
      lines.push(`    query: params.${id}Query,`);
    lines.push(`    queryDefaults: [${operation.query.defaults.map(quote).join(', ')}],`);
    lines.push(`    queryCredentials: [${operation.query.credentials.map(quote).join(', ')}],`);
    if (operation.params.names.length > 0) lines.push(`    params: params.${id}Params,`);
    const integers = operation.integers.map(
      (integer) => `{ name: ${quote(integer.name)}, in: ${quote(integer.in)}, signed: ${integer.signed} }`,
    );
    lines.push(`    integers: [${integers.join(', ')}],`);
    lines.push(`    scopes: [${operation.scopes.map(quote).join(', ')}],`);
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
