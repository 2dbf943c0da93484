import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { RecordedResponse } from '../../src/http/middleware/recordResponses.js';
import { asObject, type Json, type OpenApiDocument } from './openApiDocument.js';

/** One way a recorded response differs from the document: where (operation and status) and what. */
export interface Violation {
  where: string;
  message: string;
}

/**
 * Headers outside what an OpenAPI response declares: connection management and message framing (RFC 9110/9112),
 * the media type (checked against `content` instead), `Vary` and CORS, which the server adds per deployment.
 */
const TRANSPORT_HEADERS =
  /^(date|connection|keep-alive|transfer-encoding|content-length|content-type|vary|access-control-.*)$/;
const SSE = 'text/event-stream';

const mediaTypeOf = (headers: RecordedResponse['headers']): string | undefined => {
  const value = headers['content-type'];
  return typeof value === 'string' ? value.split(';')[0]!.trim().toLowerCase() : undefined;
};

/**
 * Checks one recorded response against the OpenAPI 3.1 document (status, headers, media type, body; a stream
 * frame by frame) and, for a stream, each frame against the 3.2 document's `itemSchema` too. A path the document
 * does not have must be answered like any unknown path: `404` as `components.responses.NotFound`; a method a
 * path does not have, with the `405` (or `501`) its operations declare.
 */
export function checkResponse(
  record: RecordedResponse,
  doc: OpenApiDocument,
  doc32: OpenApiDocument,
): Violation[] {
  const requestPath = record.url.split('?')[0]!;
  const match = doc.match(record.method, requestPath);
  if (!match) {
    const where = `${record.method} ${requestPath} (no such path)`;
    if (record.status !== 404)
      return [{ where, message: `answered ${record.status}; an unknown path is 404` }];
    const notFound = doc.resolve({ $ref: '#/components/responses/NotFound' });
    return checkAgainst(record, notFound, doc, where);
  }
  const operation = match.operation ?? match.item[record.method.toLowerCase()];
  const operations = operation ? [asObject(operation)] : doc.operations(match.item);
  const name = operation ? String(asObject(operation).operationId) : `${record.method} ${match.template}`;
  const where = `${name} ${record.status}`;
  const declared = operations
    .map((candidate) => responseFor(doc, candidate, record.status))
    .find((response) => response !== undefined);
  if (!declared) return [{ where, message: `status ${record.status} is not declared` }];
  const violations = checkAgainst(record, declared, doc, where);
  if (operation && mediaTypeOf(record.headers) === SSE && record.method !== 'HEAD') {
    const method = record.method.toLowerCase();
    const operation32 = asObject(asObject(asObject(doc32.doc.paths)[match.template])[method]);
    const response32 = responseFor(doc32, operation32, record.status);
    const itemSchema = asObject(asObject(response32?.content)[SSE]).itemSchema;
    if (itemSchema === undefined)
      violations.push({ where, message: 'openapi-3.2.json declares no itemSchema' });
    else violations.push(...checkItems(record, doc32, itemSchema, `${where} (3.2 itemSchema)`));
  }
  return violations;
}

/** The response an operation declares for a status: exact, else its range (`4XX`), else `default`. */
function responseFor(doc: OpenApiDocument, operation: Json, status: number): Json | undefined {
  const responses = asObject(operation.responses);
  const found = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return found === undefined ? undefined : doc.resolve(found);
}

function checkAgainst(
  record: RecordedResponse,
  response: Json,
  doc: OpenApiDocument,
  where: string,
): Violation[] {
  const violations = checkHeaders(record, response, doc).map((message) => ({ where, message }));
  const content = asObject(response.content);
  const mediaType = mediaTypeOf(record.headers);
  if (mediaType === undefined) {
    if (record.body !== '') violations.push({ where, message: 'has a body but no Content-Type' });
    return violations;
  }
  const media = content[mediaType];
  if (media === undefined) {
    const known = Object.keys(content).join(', ') || 'no content';
    return [...violations, { where, message: `Content-Type ${mediaType} is not declared (${known})` }];
  }
  if (
    record.method === 'HEAD' ||
    record.truncated ||
    (record.body === '' && [204, 304].includes(record.status))
  )
    return violations;
  const schema = asObject(media).schema ?? {};
  const bodyProblems =
    mediaType === SSE
      ? frames(record.body).flatMap((frame) => invalid(doc, schema, decode(frame.data), `frame ${frame.id}`))
      : invalid(doc, schema, parseBody(mediaType, record.body), 'body');
  return [...violations, ...bodyProblems.map((message) => ({ where, message }))];
}

function checkHeaders(record: RecordedResponse, response: Json, doc: OpenApiDocument): string[] {
  const declared = new Map(
    Object.entries(asObject(response.headers)).map(([name, header]) => [
      name.toLowerCase(),
      doc.resolve(header),
    ]),
  );
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record.headers)) {
    if (TRANSPORT_HEADERS.test(name)) continue;
    const header = declared.get(name);
    if (!header) problems.push(`header ${name} is not declared`);
    else problems.push(...invalid(doc, header.schema ?? {}, headerValue(header, value), `header ${name}`));
  }
  for (const [name, header] of declared)
    if (header.required === true && record.headers[name] === undefined)
      problems.push(`header ${name} is missing`);
  return problems;
}

function headerValue(header: Json, value: string | string[]): unknown {
  const text = Array.isArray(value) ? value.join(', ') : value;
  const type = asObject(header.schema).type;
  return (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function parseBody(mediaType: string, body: string): unknown {
  if (!/[/+]json$/.test(mediaType)) return body;
  try {
    return JSON.parse(body);
  } catch {
    return Symbol('not JSON');
  }
}

function invalid(doc: OpenApiDocument, schema: unknown, value: unknown, what: string): string[] {
  if (typeof value === 'symbol') return [`${what} is not JSON`];
  const validate = doc.validator(schema);
  if (validate(value)) return [];
  const reasons = (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('; ');
  return [`${what} is not valid: ${reasons}`];
}

/** Each stream frame as an OAS 3.2 item (`event`, `id`, `data` as text) against `itemSchema`, then its data. */
function checkItems(
  record: RecordedResponse,
  doc32: OpenApiDocument,
  itemSchema: unknown,
  where: string,
): Violation[] {
  const branches = (asObject(doc32.resolve(itemSchema)).oneOf ??
    asObject(doc32.resolve(itemSchema)).anyOf ??
    []) as unknown[];
  const problems: string[] = [];
  for (const frame of frames(record.body)) {
    const item = {
      ...(frame.event === undefined ? {} : { event: frame.event }),
      id: frame.id,
      data: frame.data,
    };
    const candidates = branches
      .map((branch) => doc32.resolve(branch))
      .filter((branch) => doc32.validator(branch)(item));
    if (candidates.length === 0) {
      problems.push(...invalid(doc32, itemSchema, item, `frame ${frame.id} (${frame.event ?? 'message'})`));
      continue;
    }
    // Unnamed events are told apart by their data alone: one of the matching events must accept it.
    const dataProblems = candidates.map((branch) => {
      const data = asObject(asObject(branch.properties).data);
      return data.contentMediaType === 'application/json'
        ? invalid(doc32, data.contentSchema, decode(frame.data), `frame ${frame.id} data`)
        : [];
    });
    if (dataProblems.every((found) => found.length > 0)) problems.push(...dataProblems[0]!);
  }
  return problems.map((message) => ({ where, message }));
}

function frames(body: string): EventSourceMessage[] {
  const found: EventSourceMessage[] = [];
  createParser({ onEvent: (frame) => found.push(frame) }).feed(body);
  return found;
}

function decode(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
