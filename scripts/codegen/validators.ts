import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { createAjv } from './ajvFactory.js';
import { BANNER } from './banner.js';
import type { JsonObject } from './bundle.js';
import type { OperationModel } from './operationModel.js';
import { assertNoProblems } from './problems.js';

// ajv's standalone entry is CommonJS; its function is the module's `default` property.
const standaloneCode = standaloneCodeModule.default;

const BASE = 'https://petstore-sse.local/schemas/';
const REF_PREFIX = '#/components/schemas/';

/** Rewrites component refs to absolute ids and drops `x-` extensions, which strict Ajv refuses. */
function portable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portable);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-')) continue;
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)
        ? `${BASE}${value.slice(REF_PREFIX.length)}.json`
        : portable(value);
  }
  return out;
}

/**
 * Turns the CommonJS `require()` calls that Ajv's standalone output keeps (formats, ucs2length, equal) into
 * ESM imports, so the module loads in Node and in bundlers (Vite, browsers) without `createRequire`.
 * Node hands a CommonJS module's `module.exports` as the namespace's `default`; bundlers hand its
 * `exports.default` when it is flagged `__esModule`. `__cjs` rebuilds `module.exports` from either.
 */
function esmImports(code: string): string {
  const specifiers: string[] = [];
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    if (!specifiers.includes(specifier)) specifiers.push(specifier);
    return `__cjs${specifiers.indexOf(specifier)}`;
  });
  const restore =
    'function __cjs(ns) { const d = ns.default; return d && typeof d === "object" && ("default" in d || d.__esModule) ? d : { ...ns, default: d }; }';
  const imports = specifiers.flatMap((specifier, index) => [
    `import * as __ns${index} from "${specifier}.js";`,
    `const __cjs${index} = __cjs(__ns${index});`,
  ]);
  return [restore, ...imports, body.replace('"use strict";', '')].join('\n');
}

function declarations(names: readonly string[]): string {
  return [
    BANNER,
    '',
    'export interface ValidationError {',
    '  instancePath: string;',
    '  schemaPath: string;',
    '  keyword: string;',
    '  params: Record<string, unknown>;',
    '  message?: string;',
    '}',
    '/** A precompiled Ajv validator: returns whether `data` is valid and leaves the reasons in `errors`. */',
    'export interface ValidateFunction {',
    '  (data: unknown): boolean;',
    '  errors?: ValidationError[] | null;',
    '}',
    ...names.map((name) => `export declare const ${name}: ValidateFunction;`),
    '',
  ].join('\n');
}

/** Named schemas compiled into one standalone ESM module, with its declaration file. */
export function compileModule(
  schemas: ReadonlyMap<string, JsonObject>,
  options: { defaults: boolean; exportNames?: readonly string[]; fileOf: (name: string) => string },
): { js: string; dts: string } {
  // No type coercion: Ajv's would read `Infinity`, `0x10`, `1e2` or ` 5` as numbers. Integer parameters are
  // turned into numbers before validation, from plain decimal digits only (see validateRequest).
  const ajv = createAjv({
    code: { source: true, esm: true, lines: true },
    strictTypes: false,
    ...(options.defaults ? { useDefaults: true } : {}),
  });
  for (const [name, schema] of schemas)
    ajv.addSchema({ ...(portable(schema) as JsonObject), $id: `${BASE}${name}.json` });
  const names = options.exportNames ?? [...schemas.keys()];
  const problems = names.flatMap((name) => {
    try {
      ajv.getSchema(`${BASE}${name}.json`);
      return [];
    } catch (error) {
      return [
        {
          file: options.fileOf(name),
          pointer: '',
          message: `schema does not compile: ${(error as Error).message}`,
        },
      ];
    }
  });
  assertNoProblems(problems);
  const exports = Object.fromEntries(names.map((name) => [name, `${BASE}${name}.json`]));
  return { js: `${BANNER}\n${esmImports(standaloneCode(ajv, exports))}\n`, dts: declarations(names) };
}

/** Schemas for every named component plus any inline request or response body. */
export function bodySchemas(
  components: JsonObject,
  operations: readonly OperationModel[],
): Map<string, JsonObject> {
  const schemas = new Map<string, JsonObject>(Object.entries(components) as [string, JsonObject][]);
  for (const operation of operations) {
    if (operation.body && !operation.body.$ref) schemas.set(`${operation.operationId}Body`, operation.body);
    for (const [status, schema] of Object.entries(operation.responses)) {
      if (!schema.$ref) schemas.set(`${operation.operationId}Response${status}`, schema);
    }
  }
  return schemas;
}

/** One schema for the query and one for the path parameters of every operation that has them. */
export function parameterSchemas(
  components: JsonObject,
  operations: readonly OperationModel[],
): { schemas: Map<string, JsonObject>; exportNames: string[] } {
  const schemas = new Map<string, JsonObject>(Object.entries(components) as [string, JsonObject][]);
  const exportNames: string[] = [];
  const add = (name: string, schema: JsonObject) => {
    schemas.set(name, schema);
    exportNames.push(name);
  };
  for (const operation of operations) {
    if (operation.query.names.length > 0 || operation.query.closed || operation.query.credentials.length > 0)
      add(`${operation.operationId}Query`, operation.query.schema);
    if (operation.params.names.length > 0) add(`${operation.operationId}Params`, operation.params.schema);
  }
  return { schemas, exportNames };
}

/** The validator export name that checks a schema: a `$ref`'s component name, or the inline name. */
export function validatorName(schema: JsonObject, inlineName: string): string {
  return typeof schema.$ref === 'string' ? schema.$ref.slice(REF_PREFIX.length) : inlineName;
}
