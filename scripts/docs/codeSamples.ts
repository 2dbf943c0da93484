/**
 * The reference's code samples (`x-codeSamples`), generated from the bundled OpenAPI document for every
 * operation: curl, the TypeScript client package, and the browser (`EventSource` for a `GET` stream, `fetch`
 * otherwise). Values a reader must supply are variables named after the parameter: `$PET_ID` in the shell,
 * `process.env.PET_ID` in Node, `PET_ID` in the browser; the access token is `TOKEN` everywhere. Every
 * sample is run against a live server by test/docs/codeSamples.test.ts.
 */
type Json = { [key: string]: unknown };

export type SampleKind = 'curl' | 'typescript' | 'browser';

export interface CodeSample {
  lang: 'Shell' | 'TypeScript' | 'JavaScript';
  label: string;
  source: string;
  /** Which runner executes it (not part of Redoc's `x-codeSamples`). */
  kind: SampleKind;
}

/** One operation as the samples need it. */
export interface SampleOperation {
  operationId: string;
  method: string;
  path: string;
  /** Needs a bearer token (its security names `bearerAuth`). */
  bearer: boolean;
  /** Can be opened by EventSource with a stream ticket instead (`streamTicket`). */
  ticket: boolean;
  /** Answers `text/event-stream` (a stream) when it succeeds; a HEAD of a stream is not one. */
  stream: boolean;
  /** Answers JSON when it succeeds. */
  json: boolean;
  /** Its AsyncAPI channel (`x-asyncapi-channel`) when it is a stream. */
  channel: string | undefined;
  pathParams: string[];
  /** Required query parameters, by name. */
  query: string[];
  /** May answer a redirect (`/docs` → `/docs/`): curl is told to follow it. */
  redirects: boolean;
  /** What each parameter is (its description), by name. */
  descriptions: Record<string, string>;
  /** The request body's example (ids replaced by variables, see {@link variableOf}), if it has a body. */
  body: Json | undefined;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;
/** The methods `createClient` offers (`client.GET(…)`). */
const CLIENT_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);
/** The origin the shell and Node samples call; the browser samples call their own page's origin. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text, where ${…} is meant literally
const SHELL_BASE = 'http://localhost:${PORT:-3000}';
const NODE_BASE = "process.env.BASE_URL ?? 'http://localhost:3000'";

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** `petId` → `PET_ID`: the variable a sample reads a value from. */
export const variableOf = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** What a reader fills each variable with. */
const VARIABLE_HELP: Record<string, string> = {
  TOKEN: 'an access token of the user (in dev mode: POST /v1/dev/tokens with {"userId":"user-456"})',
  PET_ID: "a pet's id (GET /v1/pets)",
  ORDER_ID: "an order's id (POST /v1/orders)",
  USER_ID: 'a user id, e.g. user-456',
};

function resolve(doc: Json, value: unknown): Json {
  const ref = asObject(value).$ref;
  if (typeof ref !== 'string') return asObject(value);
  return asObject(
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => asObject(node)[key], doc),
  );
}

/** The body's first example (media `examples`, else the schema's), with id fields as variables. */
function bodyExample(doc: Json, operation: Json): Json | undefined {
  const media = asObject(asObject(asObject(resolve(doc, operation.requestBody)).content)['application/json']);
  if (Object.keys(media).length === 0) return undefined;
  const fromMedia = Object.values(asObject(media.examples)).map((example) => asObject(example).value)[0];
  const schema = resolve(doc, media.schema);
  const example = asObject(fromMedia ?? (Array.isArray(schema.examples) ? schema.examples[0] : {}));
  return Object.fromEntries(
    Object.entries(example).map(([key, value]) => [
      key,
      key in ID_FIELDS ? { $variable: variableOf(key) } : value,
    ]),
  );
}
/** Body fields that name a resource: the samples take them from the reader, like path parameters. */
const ID_FIELDS: Record<string, true> = { petId: true, userId: true, orderId: true };

function successMedia(doc: Json, operation: Json): Set<string> {
  const media = new Set<string>();
  for (const [status, response] of Object.entries(asObject(operation.responses))) {
    if (!status.startsWith('2')) continue;
    for (const type of Object.keys(asObject(resolve(doc, response).content))) media.add(type);
  }
  return media;
}

/** Every operation of the document, as the samples need it. */
export function sampleOperations(doc: Json): SampleOperation[] {
  const operations: SampleOperation[] = [];
  for (const [path, rawItem] of Object.entries(asObject(doc.paths))) {
    const item = asObject(rawItem);
    for (const method of METHODS) {
      const operation = asObject(item[method]);
      if (typeof operation.operationId !== 'string') continue;
      const parameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ].map((parameter) => resolve(doc, parameter));
      const schemes = (
        Array.isArray(operation.security) ? operation.security : ((doc.security as unknown[]) ?? [])
      ).flatMap((requirement) => Object.keys(asObject(requirement)));
      const media = successMedia(doc, operation);
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        bearer: schemes.includes('bearerAuth'),
        ticket: schemes.includes('streamTicket'),
        stream: media.has('text/event-stream') && (method === 'get' || method === 'post'),
        json: media.has('application/json'),
        channel:
          typeof operation['x-asyncapi-channel'] === 'string' ? operation['x-asyncapi-channel'] : undefined,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => String(p.name)),
        query: parameters.filter((p) => p.in === 'query' && p.required === true).map((p) => String(p.name)),
        body: bodyExample(doc, operation),
        redirects: Object.keys(asObject(operation.responses)).some((status) => status.startsWith('3')),
        descriptions: Object.fromEntries(
          parameters
            .filter((p) => typeof p.description === 'string')
            .map((p) => [variableOf(String(p.name)), String(p.description)]),
        ),
      });
    }
  }
  return operations;
}

/** The variables an operation's samples read, in the order a reader meets them. */
function variablesOf(op: SampleOperation): string[] {
  const names = [...op.pathParams, ...op.query].map(variableOf);
  for (const value of Object.values(op.body ?? {})) {
    const variable = asObject(value).$variable;
    if (typeof variable === 'string') names.push(variable);
  }
  if (op.bearer) names.push('TOKEN');
  return [...new Set(names)];
}

const help = (variable: string, op: SampleOperation) =>
  VARIABLE_HELP[variable] ?? op.descriptions[variable] ?? variable.toLowerCase().replaceAll('_', ' ');

/** The body as JSON, each variable written by `variable(name)` inside the JSON text. */
function bodyJson(body: Json, variable: (name: string) => string): string {
  const text = JSON.stringify(body);
  return text.replace(/\{"\$variable":"([A-Z_]+)"\}/g, (_, name: string) => `"${variable(name)}"`);
}

/** The path with its parameters filled in by `variable(name)`. */
const fillPath = (op: SampleOperation, variable: (name: string) => string) =>
  op.path.replace(/\{(\w+)\}/g, (_, name: string) => variable(variableOf(name)));

const queryString = (op: SampleOperation, variable: (name: string) => string) =>
  op.query.length ? `?${op.query.map((name) => `${name}=${variable(variableOf(name))}`).join('&')}` : '';

export function curlSample(op: SampleOperation): string {
  const lines = variablesOf(op).map((variable) => `# ${variable}: ${help(variable, op)}`);
  // A plain OPTIONS is answered 405 with `Allow` (the methods the path takes): shown, not failed on.
  const fail = op.method === 'options' ? '' : ' --fail-with-body';
  const args = [op.redirects ? `curl -sS -L${fail}` : `curl -sS${fail}`];
  if (op.method === 'head') args.push('-I');
  else if (op.method === 'options') args.push('-i -X OPTIONS');
  else if (op.method !== 'get') args.push(`-X ${op.method.toUpperCase()}`);
  if (op.stream && (op.method === 'get' || op.body?.stream === true))
    args.push("-N -H 'Accept: text/event-stream'");
  if (op.bearer) args.push('-H "Authorization: Bearer $TOKEN"');
  if (op.body) {
    args.push("-H 'Content-Type: application/json'");
    args.push(`-d '${bodyJson(op.body, (name) => `'"$${name}"'`)}'`);
  }
  const url = `"${SHELL_BASE}${fillPath(op, (name) => `$${name}`)}${queryString(op, (name) => `$${name}`)}"`;
  args.push(url);
  lines.push(args.join(' \\\n  '));
  return lines.join('\n');
}

/** A JS object literal of the body, variables read with `read(name)`. */
function bodyLiteral(body: Json, read: (name: string) => string): string {
  const entries = Object.entries(body).map(([key, value]) => {
    const variable = asObject(value).$variable;
    return `${key}: ${typeof variable === 'string' ? read(variable) : JSON.stringify(value)}`;
  });
  return `{ ${entries.join(', ')} }`;
}

const nodeVariable = (name: string) => `process.env.${name}!`;

function paramsLiteral(op: SampleOperation): string | undefined {
  const groups: string[] = [];
  if (op.pathParams.length)
    groups.push(
      `path: { ${op.pathParams.map((name) => `${name}: ${nodeVariable(variableOf(name))}`).join(', ')} }`,
    );
  if (op.query.length)
    groups.push(
      `query: { ${op.query.map((name) => `${name}: ${nodeVariable(variableOf(name))}`).join(', ')} }`,
    );
  return groups.length ? `{ ${groups.join(', ')} }` : undefined;
}

const CLIENT_IMPORT = "import { createClient } from '@petstore-sse/client';";

function clientLine(op: SampleOperation): string {
  const token = op.bearer ? ', token: process.env.TOKEN!' : '';
  return `const client = createClient({ baseUrl: ${NODE_BASE}${token} });`;
}

/** The TypeScript sample: the client package where it covers the operation, else `fetch`. */
export function typeScriptSample(op: SampleOperation): { label: string; source: string } {
  const params = paramsLiteral(op);
  if (op.stream && op.method === 'get' && op.channel) {
    const channelParams = [...op.pathParams, ...op.query].map(
      (name) => `${name}: ${nodeVariable(variableOf(name))}`,
    );
    return {
      label: 'TypeScript client',
      source: [
        CLIENT_IMPORT,
        '',
        clientLine(op),
        `for await (const { event, id, data } of client.subscribe('${op.channel}', { ${channelParams.join(', ')} })) {`,
        '  console.log(event, id, data);',
        '}',
      ]
        .join('\n')
        .replace('{  }', '{}'),
    };
  }
  if (op.stream && op.method === 'post' && op.body?.stream === true) {
    const { stream: _stream, ...request } = op.body;
    return {
      label: 'TypeScript client',
      source: [
        "import { type ChatCompletionRequest, streamChatCompletion } from '@petstore-sse/client';",
        '',
        `const request: ChatCompletionRequest = ${bodyLiteral(request, nodeVariable)};`,
        `for await (const chunk of streamChatCompletion({ baseUrl: ${NODE_BASE} }, request)) {`,
        "  process.stdout.write(chunk.choices[0]?.delta.content ?? '');",
        '}',
        "process.stdout.write('\\n');",
      ].join('\n'),
    };
  }
  if (CLIENT_METHODS.has(op.method) && op.json) {
    const options = [
      params && `params: ${params}`,
      op.body && `body: ${bodyLiteral(op.body, nodeVariable)}`,
    ].filter(Boolean);
    const call = `client.${op.method.toUpperCase()}('${op.path}'${options.length ? `, { ${options.join(', ')} }` : ''})`;
    return {
      label: 'TypeScript client',
      source: [
        CLIENT_IMPORT,
        '',
        clientLine(op),
        `const { data, error, response } = await ${call};`,
        'console.log(response.status, data ?? error);',
      ].join('\n'),
    };
  }
  // HEAD, OPTIONS and the files that are not JSON: the client covers the JSON API, so plain fetch.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text, where ${…} is meant literally
  const headers = op.bearer ? ', headers: { authorization: `Bearer ${process.env.TOKEN}` }' : '';
  const read = (name: string) => `\${process.env.${name}}`;
  const url = `\`\${${NODE_BASE}}${fillPath(op, read)}${queryString(op, read)}\``;
  return {
    label: 'TypeScript (fetch)',
    source: [
      `const response = await fetch(${url}, { method: '${op.method.toUpperCase()}'${headers} });`,
      "console.log(response.status, response.headers.get('content-type'), (await response.text()).length);",
    ].join('\n'),
  };
}

const browserVariable = (name: string) => name;

/** The browser sample, for a page on the server's own origin (such as these docs). */
export function browserSample(
  op: SampleOperation,
  events: readonly string[] = [],
): { label: string; source: string } {
  const intro = variablesOf(op).map((variable) => `// ${variable}: ${help(variable, op)}`);
  const path =
    fillPath(op, (name) => `\${${browserVariable(name)}}`) + queryString(op, (name) => `\${${name}}`);
  if (op.stream && op.method === 'get' && op.channel) {
    const lines = [...intro.filter((line) => !line.startsWith('// TOKEN') || !op.ticket)];
    let url = `\`${path}\``;
    if (op.bearer && op.ticket) {
      lines.push(
        "// TOKEN: the access token of the order's owner. EventSource cannot send it: trade it for a single-use ticket.",
        "const tickets = await fetch('/v1/stream-tickets', {",
        "  method: 'POST',",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text, where ${…} is meant literally
        "  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },",
        `  body: JSON.stringify({ ${op.pathParams.map((name) => `${name}: ${variableOf(name)}`).join(', ')} }),`,
        '});',
        'const { ticket } = await tickets.json();',
      );
      url = `\`${path}?ticket=\${ticket}\``;
    }
    lines.push(
      `const source = new EventSource(${url});`,
      "// Unnamed frames arrive as 'message'; named ones by their event name.",
      `for (const event of ['message', ${events.map((event) => `'${event}'`).join(', ')}]) {`,
      '  source.addEventListener(event, (frame) => {',
      '    console.log(event, frame.lastEventId, JSON.parse(frame.data));',
      ...(op.stream && events.includes('complete')
        ? ["    if (event === 'complete' || event === 'stream-error') source.close();"]
        : ["    if (event === 'stream-error') source.close();"]),
      '  });',
      '}',
    );
    return { label: 'Browser (EventSource)', source: lines.join('\n') };
  }
  const init: string[] = [];
  if (op.method !== 'get') init.push(`method: '${op.method.toUpperCase()}'`);
  const headers: string[] = [];
  // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text, where ${…} is meant literally
  if (op.bearer) headers.push('authorization: `Bearer ${TOKEN}`');
  if (op.body) headers.push("'content-type': 'application/json'");
  if (headers.length) init.push(`headers: { ${headers.join(', ')} }`);
  if (op.body) init.push(`body: JSON.stringify(${bodyLiteral(op.body, browserVariable)})`);
  const call = `await fetch(\`${path}\`${init.length ? `, { ${init.join(', ')} }` : ''})`;
  if (op.stream && op.method === 'post') {
    return {
      label: 'Browser (fetch)',
      source: [
        ...intro,
        `const response = ${call};`,
        '// The answer streams as Server-Sent Events: read it as it comes.',
        'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
        'for (let part = await reader.read(); !part.done; part = await reader.read()) console.log(part.value);',
      ].join('\n'),
    };
  }
  const read = op.json && op.method !== 'head' ? 'await response.json()' : 'await response.text()';
  return {
    label: 'Browser (fetch)',
    source: [...intro, `const response = ${call};`, `console.log(response.status, ${read});`].join('\n'),
  };
}

/** The samples of one operation; `events` are its channel's event names (for EventSource listeners). */
export function codeSamples(op: SampleOperation, events: readonly string[] = []): CodeSample[] {
  const typescript = typeScriptSample(op);
  const browser = browserSample(op, events);
  return [
    { lang: 'Shell', label: 'curl', source: curlSample(op), kind: 'curl' },
    { lang: 'TypeScript', label: typescript.label, source: typescript.source, kind: 'typescript' },
    {
      lang: 'JavaScript',
      label: browser.label,
      source: browser.source,
      kind: 'browser',
    },
  ];
}

/** The event names of each AsyncAPI channel (unnamed frames, `message`, left out: every stream has them). */
export function channelEvents(asyncapi: Json): Map<string, string[]> {
  const events = new Map<string, string[]>();
  for (const [channel, raw] of Object.entries(asObject(asyncapi.channels))) {
    const names = Object.values(asObject(asObject(raw).messages))
      .map((message) => resolve(asyncapi, message))
      .filter((message) => message.name !== 'message' && message['x-sse-unnamed'] !== true)
      .map((message) => String(message.name));
    events.set(channel, names);
  }
  return events;
}

/** `openapi` with `x-codeSamples` on every operation; the input is not changed. */
export function withCodeSamples(openapi: Json, asyncapi: Json): Json {
  const doc = structuredClone(openapi);
  const events = channelEvents(asyncapi);
  for (const op of sampleOperations(doc)) {
    const operation = asObject(asObject(asObject(doc.paths)[op.path])[op.method]);
    operation['x-codeSamples'] = codeSamples(op, events.get(op.channel ?? '') ?? []).map(
      ({ lang, label, source }) => ({
        lang,
        label,
        source,
      }),
    );
  }
  return doc;
}
