import type { BundledSpec, JsonObject } from './bundle.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface OperationParameters {
  /** A JSON schema of an object with one property per parameter. */
  schema: JsonObject;
  names: string[];
  /** The parameters whose schema has a `default`, which the generated validator fills in. */
  defaults: string[];
  /** Any other parameter is refused (`additionalProperties: false`). */
  closed: boolean;
  /** Query parameters that carry a credential (an `apiKey` security scheme `in: query`), e.g. `ticket`. */
  credentials: string[];
}

export interface OperationModel {
  operationId: string;
  method: string;
  path: string;
  query: OperationParameters;
  params: OperationParameters;
  /** Schema of the JSON request body, if any. */
  body?: JsonObject;
  bodyRequired: boolean;
  /** Schema of each response body by status code (JSON, problem+json, or one parsed SSE frame). */
  responses: Record<string, JsonObject>;
  /** The AsyncAPI channel a stream operation serves. */
  channel?: string;
  /** It takes an `Idempotency-Key` header: a retry with the same key gets the first answer. */
  idempotencyKey: boolean;
  /** The scopes its access token must carry (its `bearerAuth` requirement's list); empty when none. */
  scopes: string[];
  /** Its integer query and path parameters, which accept plain decimal digits only. */
  integers: IntegerParameter[];
}

/** An integer parameter: `signed` when its range allows negative values (a leading `-`). */
export interface IntegerParameter {
  name: string;
  in: 'query' | 'path';
  signed: boolean;
}

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};

/** Follows one local `$ref` (`#/components/...`) inside the document. */
function deref(doc: JsonObject, node: unknown): JsonObject {
  const ref = asObject(node).$ref;
  if (
    typeof ref !== 'string' ||
    !ref.startsWith('#/components/') ||
    ref.startsWith('#/components/schemas/')
  ) {
    return asObject(node);
  }
  return deref(
    doc,
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, segment) => asObject(at)[segment], doc),
  );
}

/** The query parameter names of the `apiKey` security schemes `in: query` that an operation accepts. */
function credentialQueryNames(doc: JsonObject, operation: JsonObject): string[] {
  const schemes = asObject(asObject(doc.components).securitySchemes);
  const requirements = (operation.security ?? doc.security ?? []) as unknown[];
  const names = requirements.flatMap((requirement) =>
    Object.keys(asObject(requirement)).map((scheme) => asObject(schemes[scheme])),
  );
  return names
    .filter((scheme) => scheme.type === 'apiKey' && scheme.in === 'query' && typeof scheme.name === 'string')
    .map((scheme) => scheme.name as string);
}

function parametersIn(
  doc: JsonObject,
  all: unknown[],
  location: string,
  closed: boolean,
  credentials: string[] = [],
): OperationParameters {
  const properties: JsonObject = {};
  const required: string[] = [];
  const defaults: string[] = [];
  for (const raw of all) {
    const parameter = deref(doc, raw);
    if (parameter.in !== location || typeof parameter.name !== 'string') continue;
    properties[parameter.name] = parameter.schema ?? {};
    if (parameter.required === true) required.push(parameter.name);
    if (asObject(parameter.schema).default !== undefined) defaults.push(parameter.name);
  }
  const names = Object.keys(properties);
  // A credential is checked by authentication, not here: any one string value.
  for (const name of credentials) properties[name] ??= { type: 'string' };
  const schema: JsonObject = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  if (closed) schema.additionalProperties = false;
  return { schema, names, defaults, closed, credentials };
}

/** The integer query and path parameters, and whether each may be negative. */
function integerParameters(doc: JsonObject, all: unknown[]): IntegerParameter[] {
  return all.flatMap((raw) => {
    const parameter = deref(doc, raw);
    const schema = asObject(parameter.schema);
    if ((parameter.in !== 'query' && parameter.in !== 'path') || schema.type !== 'integer') return [];
    const minimum = schema.minimum ?? schema.exclusiveMinimum;
    return [
      {
        name: String(parameter.name),
        in: parameter.in,
        signed: !(typeof minimum === 'number' && minimum >= 0),
      },
    ];
  });
}

/** The scopes the operation's `bearerAuth` requirement lists (OpenAPI 3.1 allows role names for any scheme). */
const requiredScopes = (doc: JsonObject, operation: JsonObject): string[] =>
  ((operation.security ?? doc.security ?? []) as unknown[]).flatMap((requirement) => {
    const scopes = asObject(requirement).bearerAuth;
    return Array.isArray(scopes) ? scopes.map(String) : [];
  });

function bodySchema(content: unknown): JsonObject | undefined {
  const media = asObject(content);
  const entry = media['application/json'] ?? media['application/problem+json'] ?? media['text/event-stream'];
  const schema = asObject(entry).schema;
  return schema === undefined ? undefined : asObject(schema);
}

/** Whether the parameters include the `Idempotency-Key` header. */
const takesIdempotencyKey = (doc: JsonObject, all: unknown[]): boolean =>
  all.some((raw) => {
    const parameter = deref(doc, raw);
    return parameter.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key';
  });

/** Every operation of a bundled OpenAPI document, in document order. */
export function readOperations(spec: BundledSpec): OperationModel[] {
  const doc = spec.doc;
  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(asObject(doc.paths))) {
    const item = asObject(rawItem);
    for (const method of METHODS) {
      const operation = asObject(item[method]);
      if (typeof operation.operationId !== 'string') continue;
      const parameters = [
        ...((item.parameters as unknown[]) ?? []),
        ...((operation.parameters as unknown[]) ?? []),
      ];
      const requestBody = deref(doc, operation.requestBody);
      const responses: Record<string, JsonObject> = {};
      for (const [status, rawResponse] of Object.entries(asObject(operation.responses))) {
        const schema = bodySchema(deref(doc, rawResponse).content);
        if (schema) responses[status] = schema;
      }
      const body = bodySchema(requestBody.content);
      const channel = operation['x-asyncapi-channel'];
      // An operation that declares a 400 answer refuses what it does not declare, unknown query
      // parameters included (a stream's, as its AsyncAPI http binding closes it; a REST call's alike).
      const refusesBadInput = '400' in asObject(operation.responses);
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        query: parametersIn(doc, parameters, 'query', refusesBadInput, credentialQueryNames(doc, operation)),
        params: parametersIn(doc, parameters, 'path', false),
        ...(body ? { body } : {}),
        bodyRequired: requestBody.required === true,
        responses,
        ...(typeof channel === 'string' ? { channel } : {}),
        idempotencyKey: takesIdempotencyKey(doc, parameters),
        scopes: requiredScopes(doc, operation),
        integers: integerParameters(doc, parameters),
      });
    }
  }
  return operations;
}
