import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOT_RUN, STEPS, type Step } from './steps.js';
import { streamFramesScript } from './streamFrames.js';

type Json = { [key: string]: unknown };
interface Operation {
  id: string;
  method: string;
  path: string;
  responses: Json;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm run apidog:collection` writes the collection `npm run apidog:run` runs. */
export const COLLECTION = path.join(root, 'dist/apidog/petstore-sse.apidog-cli.json');
/** The statuses every operation is tested with when it declares them: success and the main errors. */
const MAIN_ERRORS = [400, 401, 403, 404, 409];

function operationsOf(doc: Json): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [route, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, value] of Object.entries(item)) {
      const op = value as Json;
      if (typeof op.operationId !== 'string') continue;
      operations.set(op.operationId, {
        id: op.operationId,
        method,
        path: route,
        responses: op.responses as Json,
      });
    }
  }
  return operations;
}

/** `#/components/…` → the object it names. */
const resolve = (doc: Json, value: Json): Json =>
  typeof value.$ref === 'string'
    ? (value.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Json)[key], doc) as Json)
    : value;

/**
 * The schema without `multipleOf` below 1: Apidog's validator (Ajv without `multipleOfPrecision`) finds 19.99
 * not a multiple of 0.01, a floating-point artefact. The server's own validators keep checking it.
 */
function withoutFractionalMultipleOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutFractionalMultipleOf);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).filter(
    ([key, value]) => !(key === 'multipleOf' && Number(value) < 1),
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutFractionalMultipleOf(value)]));
}

/** A self-contained JSON Schema: the `$ref` plus every component schema it reaches. */
function selfContained(doc: Json, ref: string): Json {
  const all = (doc.components as Json).schemas as Record<string, Json>;
  const needed = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const element of node) visit(element);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const name = key === '$ref' && typeof value === 'string' ? value.split('/').pop()! : undefined;
      if (name && !needed.has(name)) {
        needed.add(name);
        visit(all[name]);
      } else visit(value);
    }
  };
  visit({ $ref: ref });
  const schemas = Object.fromEntries(
    [...needed].map((name) => [name, withoutFractionalMultipleOf(all[name])]),
  );
  return { $ref: ref, components: { schemas } };
}

/**
 * The response the operation declares for `status`: its media type (the event stream when `stream`, else
 * the first) and its schema `$ref`, if any.
 */
function responseOf(
  doc: Json,
  op: Operation,
  status: number,
  stream: boolean,
): { media: string; ref: string | undefined } {
  const declared = op.responses[String(status)] as Json | undefined;
  if (!declared) throw new Error(`${op.id} declares no ${status} response; fix scripts/apidog/steps.ts`);
  const content = Object.entries((resolve(doc, declared).content ?? {}) as Record<string, Json>);
  const [media = '', body] =
    content.find(([type]) => stream === (type === 'text/event-stream')) ?? content[0] ?? [];
  const schema = body?.schema as Json | undefined;
  return { media, ref: typeof schema?.$ref === 'string' ? schema.$ref : undefined };
}

function testScript(doc: Json, op: Operation, step: Step): string[] {
  const { media, ref } = responseOf(doc, op, step.status, step.events !== undefined);
  const lines = [`pm.test('status is ${step.status}', () => pm.response.to.have.status(${step.status}));`];
  const schema = ref && JSON.stringify(selfContained(doc, ref));
  const stream = media === 'text/event-stream' && step.events !== undefined;
  if (stream) {
    lines.push(streamFramesScript);
    lines.push(
      `pm.test('events: ${step.events}', () => pm.expect(frames.map((f) => f.event || 'message').join(' ')).to.match(new RegExp(${JSON.stringify(step.events)})));`,
    );
    if (schema)
      lines.push(
        // The 3.1 document types a stream by its frames' payloads (the union of its events' `data`).
        `pm.test('the data of every frame matches ${ref}', () => frames.forEach((frame) => pm.expect(frame.data).to.be.jsonSchema(${schema})));`,
      );
  } else if (media.includes('json')) {
    lines.push(
      `pm.test('content type is ${media}', () => pm.expect(pm.response.headers.get('content-type')).to.include(${JSON.stringify(media)}));`,
    );
    if (schema)
      lines.push(`pm.test('body matches ${ref}', () => pm.response.to.have.jsonSchema(${schema}));`);
    lines.push('const body = pm.response.json();');
  }
  for (const check of step.checks ?? [])
    lines.push(`pm.test(${JSON.stringify(check)}, () => pm.expect(${check}).to.be.true);`);
  for (const [name, expression] of Object.entries(step.save ?? {}))
    lines.push(`pm.environment.set('${name}', ${expression});`);
  return lines;
}

function url(op: Operation, step: Step): string {
  const filled = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => step.path?.[name] ?? `{${name}}`);
  const query = Object.entries(step.query ?? {}).map(
    ([key, value]) => `${key}=${encodeURIComponent(String(value))}`,
  );
  return `{{baseUrl}}${filled}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function item(doc: Json, op: Operation, step: Step): Json {
  const headers = {
    ...(step.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...step.headers,
  };
  if (step.auth) Object.assign(headers, { authorization: 'Bearer {{token}}' });
  if (step.staff) Object.assign(headers, { authorization: 'Bearer {{staffToken}}' });
  return {
    name: `${op.method.toUpperCase()} ${op.path}: ${step.name} → ${step.status}`,
    metaInfo: { type: 'http' },
    request: {
      method: op.method.toUpperCase(),
      url: url(op, step),
      header: Object.entries(headers).map(([key, value]) => ({ key, value })),
      ...(step.body === undefined ? {} : { body: { mode: 'raw', raw: JSON.stringify(step.body) } }),
    },
    event: [{ listen: 'test', script: { exec: testScript(doc, op, step) } }],
  };
}

/**
 * The operations of the REST API the scenario covers: those under `/v1/` and the health, readiness and metrics
 * endpoints. Left out, with the reason: every `HEAD` and `OPTIONS` (the server answers them itself for each
 * path; the drift check and the Prism drive cover them), and the documents and pages of the docs site and the
 * demo (static files, covered by test/http/site).
 */
function isRestApi(op: Operation): boolean {
  if (op.method === 'head' || op.method === 'options') return false;
  return op.path.startsWith('/v1/') || ['/healthz', '/readyz', '/metrics'].includes(op.path);
}

/** Every REST operation's success and declared main errors are run, or `NOT_RUN` says why not. */
function uncovered(operations: Map<string, Operation>): string[] {
  const missing: string[] = [];
  for (const op of operations.values()) {
    if (!isRestApi(op)) continue;
    const run = new Set(STEPS.filter((step) => step.operationId === op.id).map((step) => step.status));
    const declared = Object.keys(op.responses).map(Number);
    const wanted = [
      declared.find((status) => status < 300),
      ...MAIN_ERRORS.filter((s) => declared.includes(s)),
    ];
    for (const status of wanted) {
      if (status !== undefined && !run.has(status) && !NOT_RUN[op.id]?.[status])
        missing.push(`${op.id} ${status}`);
    }
  }
  return missing;
}

/** The Apidog CLI collection of the scenario, checked to cover every operation of the OpenAPI document. */
export function buildCollection(doc: Json): Json {
  const operations = operationsOf(doc);
  const items = STEPS.map((step) => {
    const op = operations.get(step.operationId);
    if (!op) throw new Error(`scripts/apidog/steps.ts names ${step.operationId}, which the document lacks`);
    return item(doc, op, step);
  });
  const missing = uncovered(operations);
  if (missing.length > 0)
    throw new Error(`Apidog scenario misses: ${missing.join(', ')} (scripts/apidog/steps.ts)`);
  return { apidogCli: '1.1', item: [{ name: 'petstore-sse contract', item: items }] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = JSON.parse(await readFile(path.join(root, 'generated/specs/openapi.json'), 'utf8')) as Json;
  await mkdir(path.dirname(COLLECTION), { recursive: true });
  const collection = buildCollection(doc);
  await writeFile(COLLECTION, `${JSON.stringify(collection, null, 2)}\n`);
  const count = ((collection.item as Json[])[0]!.item as unknown[]).length;
  console.log(`apidog: wrote ${path.relative(process.cwd(), COLLECTION)} (${count} requests)`);
}
