import type { JsonObject } from './bundle.js';
import type { ChannelModel } from './channelModel.js';
import { SpecError, type SpecProblem, toPointer } from './problems.js';
import { eventSchema, eventSchemaName, itemExamples, itemSchema, itemSchemaName } from './sseItemSchemas.js';

const SCHEMAS = '#/components/schemas/';
const SSE = 'text/event-stream';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
const ref = (name: string): JsonObject => ({ $ref: `${SCHEMAS}${name}` });

/** Every `#/components/schemas/<name>` a node references, directly. */
function schemaRefs(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) schemaRefs(item, into);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMAS))
        into.add(value.slice(SCHEMAS.length));
      else schemaRefs(value, into);
    }
  }
  return into;
}

/** The schemas reachable from anything outside components.schemas. */
function reachableSchemas(doc: JsonObject): Set<string> {
  const components = asObject(doc.components);
  const schemas = asObject(components.schemas);
  const pending = [...schemaRefs({ ...doc, components: { ...components, schemas: {} } })];
  const reached = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...schemaRefs(schemas[name]));
  }
  return reached;
}

/** Follows `$ref`s to components.responses; returns the response and where it lives. */
function resolveResponse(doc: JsonObject, node: unknown, at: string): { response: JsonObject; at: string } {
  const target = asObject(node).$ref;
  if (typeof target !== 'string' || !target.startsWith('#/components/responses/'))
    return { response: asObject(node), at };
  const name = target.slice('#/components/responses/'.length);
  return resolveResponse(doc, asObject(asObject(doc.components).responses)[name], target.slice(1));
}

/** Copies a payload schema that only the AsyncAPI document holds, with every schema it references. */
function copySchema(name: string, from: JsonObject, into: JsonObject, problems: SpecProblem[]): void {
  if (into[name] !== undefined) return;
  if (from[name] === undefined) {
    problems.push({
      file: 'spec/asyncapi.yaml',
      pointer: `/components/schemas/${name}`,
      message: 'not found (the payload of a message that a stream operation sends)',
    });
    return;
  }
  into[name] = structuredClone(from[name]);
  for (const referenced of schemaRefs(into[name])) copySchema(referenced, from, into, problems);
}

/** What converting one document needs: its schemas, the AsyncAPI messages, and what was found so far. */
interface Conversion {
  doc: JsonObject;
  schemas: JsonObject;
  messages: JsonObject;
  asyncApiSchemas: JsonObject;
  idSchema: JsonObject;
  problems: SpecProblem[];
  /** Response pointer → the channel it was converted for. */
  streams: Map<string, string>;
  /** The schemas this conversion added. */
  added: Set<string>;
}

function addSchema(run: Conversion, name: string, schema: JsonObject): void {
  if (run.schemas[name] !== undefined && !run.added.has(name)) {
    const message = `clashes with the schema codegen adds to openapi-3.2.json for an SSE event or stream`;
    run.problems.push({ file: 'spec/openapi.yaml', pointer: `/components/schemas/${name}`, message });
    return;
  }
  run.schemas[name] = schema;
  run.added.add(name);
}

/** Replaces one `text/event-stream` media type with the channel's item schema and examples. */
function convertStream(
  run: Conversion,
  channel: ChannelModel,
  content: JsonObject,
  at: string,
  path: string,
) {
  const claimed = run.streams.get(at);
  if (claimed !== undefined && claimed !== channel.id) {
    const message = `serves two channels (${claimed}, ${channel.id}); give each stream its own response`;
    run.problems.push({ file: 'spec/openapi.yaml', pointer: at, message });
    return;
  }
  run.streams.set(at, channel.id);
  content[SSE] = { itemSchema: ref(itemSchemaName(channel)), examples: itemExamples(channel, run.messages) };
  if (claimed !== undefined) return;
  addSchema(run, itemSchemaName(channel), itemSchema(channel, path));
  for (const event of channel.events) {
    const message = asObject(run.messages[event.messageId]);
    if (!run.added.has(eventSchemaName(event)))
      addSchema(run, eventSchemaName(event), eventSchema(event, message, run.idSchema));
    copySchema(event.schema, run.asyncApiSchemas, run.schemas, run.problems);
  }
}

/** Converts every `text/event-stream` response of an operation that names an AsyncAPI channel. */
function convertOperation(run: Conversion, channels: readonly ChannelModel[], path: string, method: string) {
  const operation = asObject(asObject(asObject(run.doc.paths)[path])[method]);
  const channelId = operation['x-asyncapi-channel'];
  if (typeof channelId !== 'string') return;
  const pointer = toPointer(['paths', path, method]);
  const channel = channels.find((known) => known.id === channelId);
  if (!channel) {
    const message = `"${channelId}" is not a channel of spec/asyncapi.yaml`;
    run.problems.push({ file: 'spec/openapi.yaml', pointer: `${pointer}/x-asyncapi-channel`, message });
    return;
  }
  let streams = 0;
  for (const [status, raw] of Object.entries(asObject(operation.responses))) {
    const { response, at } = resolveResponse(run.doc, raw, `${pointer}/responses/${status}`);
    const content = asObject(response.content);
    if (content[SSE] === undefined) continue;
    streams += 1;
    convertStream(run, channel, content, at, path);
  }
  if (streams === 0) {
    const message = `names channel "${channel.id}" but has no ${SSE} response`;
    run.problems.push({ file: 'spec/openapi.yaml', pointer: `${pointer}/responses`, message });
  }
}

/**
 * The bundled OpenAPI 3.1 document as OpenAPI 3.2 (`generated/specs/openapi-3.2.json`), for tools that read
 * `itemSchema`: the `text/event-stream` response of each operation with `x-asyncapi-channel` gets an
 * `itemSchema` with one schema per event of that AsyncAPI channel, discriminated by `event`, and the
 * channel's message examples. The 3.1 frame schemas no longer used are dropped. The input is not changed.
 */
export function toOpenApi32(
  openapi: JsonObject,
  asyncapi: JsonObject,
  channels: readonly ChannelModel[],
): JsonObject {
  const doc = structuredClone(openapi);
  const schemas = asObject(asObject(doc.components).schemas);
  const run: Conversion = {
    doc,
    schemas,
    messages: asObject(asObject(asyncapi.components).messages),
    asyncApiSchemas: asObject(asObject(asyncapi.components).schemas),
    idSchema: schemas.EventId === undefined ? { type: 'string' } : ref('EventId'),
    problems: [],
    streams: new Map(),
    added: new Set(),
  };
  const usedBefore = reachableSchemas(doc);
  for (const [path, item] of Object.entries(asObject(doc.paths)))
    for (const method of METHODS)
      if (asObject(item)[method] !== undefined) convertOperation(run, channels, path, method);
  if (run.problems.length > 0) throw new SpecError(run.problems);
  const usedAfter = reachableSchemas(doc);
  for (const name of usedBefore) if (!usedAfter.has(name)) delete schemas[name];
  doc.openapi = '3.2.0';
  return doc;
}
