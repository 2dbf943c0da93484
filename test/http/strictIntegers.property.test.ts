import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import asyncapi from '../../generated/specs/asyncapi.json' with { type: 'json' };
import openapi from '../../generated/specs/openapi.json' with { type: 'json' };
import { expectProblem } from '../helpers/expectMatchesSpec.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

/** Strings per parameter: enough to meet every form below many times over, in seconds. */
const RUNS = 60;
/** A fixed seed keeps the suite deterministic; change it (or drop it locally) to explore other inputs. */
const SEED = 20_261_207;

type Json = Record<string, unknown>;
interface IntegerParameter {
  operationId: string;
  path: string;
  in: 'query' | 'path';
  name: string;
  minimum: number | undefined;
  maximum: number | undefined;
  /** The operation's other required query parameters. */
  required: string[];
}

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
/** Follows a local `$ref` of the bundled document. */
const deref = (doc: Json, node: unknown): Json => {
  const ref = asObject(node).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return asObject(node);
  return deref(
    doc,
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => asObject(at)[key], doc),
  );
};
const numeric = (schema: Json) => schema.type === 'integer' || schema.type === 'number';

/**
 * Every numeric query and path parameter of every GET operation (streams included) in the bundled OpenAPI
 * document, and every numeric parameter of a stream's AsyncAPI http binding, under the operation serving it.
 */
function numericParameters(): IntegerParameter[] {
  const found = new Map<string, IntegerParameter>();
  const required = new Map<string, string[]>();
  const add = (operationId: string, path: string, where: 'query' | 'path', name: string, schema: Json) => {
    if (!numeric(schema)) return;
    found.set(`${operationId} ${where} ${name}`, {
      operationId,
      path,
      in: where,
      name,
      minimum: schema.minimum as number | undefined,
      maximum: schema.maximum as number | undefined,
      required: (required.get(operationId) ?? []).filter((other) => other !== name),
    });
  };
  const doc = openapi as unknown as Json;
  const servingChannel = new Map<string, { operationId: string; path: string }>();
  for (const [path, rawItem] of Object.entries(asObject(doc.paths))) {
    const item = asObject(rawItem);
    const operation = asObject(item.get);
    if (typeof operation.operationId !== 'string') continue;
    const channel = operation['x-asyncapi-channel'];
    if (typeof channel === 'string')
      servingChannel.set(channel, { operationId: operation.operationId, path });
    const parameters = [
      ...((item.parameters as unknown[]) ?? []),
      ...((operation.parameters as unknown[]) ?? []),
    ];
    required.set(
      operation.operationId,
      parameters
        .map((raw) => deref(doc, raw))
        .filter((parameter) => parameter.in === 'query' && parameter.required === true)
        .map((parameter) => String(parameter.name)),
    );
    for (const raw of parameters) {
      const parameter = deref(doc, raw);
      if (parameter.in !== 'query' && parameter.in !== 'path') continue;
      add(operation.operationId, path, parameter.in, String(parameter.name), deref(doc, parameter.schema));
    }
  }
  const streams = asyncapi as unknown as Json;
  for (const rawOperation of Object.values(asObject(streams.operations))) {
    const operation = asObject(rawOperation);
    const channel =
      String(asObject(operation.channel).$ref ?? '')
        .split('/')
        .at(-1) ?? '';
    const query = asObject(asObject(asObject(operation.bindings).http).query);
    const served = servingChannel.get(channel);
    for (const [name, schema] of Object.entries(asObject(query.properties))) {
      if (!numeric(asObject(schema))) continue;
      expect(served, `the OpenAPI operation serving ${channel}`).toBeDefined();
      add(served!.operationId, served!.path, 'query', name, asObject(schema));
    }
  }
  return [...found.values()];
}

const PARAMETERS = numericParameters();

/** Values for the other required parameters, so only the numeric one is wrong. */
const REQUIRED: Record<string, string> = { userId: 'user-456' };

/** Integer strings written in any way but plain decimal digits, and plain ones out of the declared range. */
function notPlainDecimal(parameter: IntegerParameter): fc.Arbitrary<string> {
  const digits = fc.stringMatching(/^[0-9]{1,6}$/);
  const { minimum, maximum } = parameter;
  const outOfRange = [
    ...(minimum === undefined
      ? []
      : [fc.integer({ min: minimum - 1_000_000, max: minimum - 1 }).map(String)]),
    ...(maximum === undefined
      ? []
      : [fc.integer({ min: maximum + 1, max: maximum + 1_000_000 }).map(String)]),
  ];
  return fc.oneof(
    fc.constantFrom(
      'Infinity',
      '-Infinity',
      '+Infinity',
      'NaN',
      '-NaN',
      '',
      ' ',
      '-',
      '+',
      '1.',
      '.5',
      '1.0',
    ),
    digits.map((d) => `0x${d}`),
    fc.stringMatching(/^0[xX][0-9a-fA-F]{1,4}$/),
    fc.stringMatching(/^0[bBoO][01]{1,8}$/),
    fc.tuple(digits, fc.integer({ min: -3, max: 3 })).map(([d, e]) => `${d}e${e}`),
    fc.tuple(digits, fc.integer({ min: 0, max: 3 })).map(([d, e]) => `${d}E+${e}`),
    digits.map((d) => `+${d}`),
    fc
      .tuple(digits, fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000'), fc.boolean())
      .map(([d, space, before]) => (before ? `${space}${d}` : `${d}${space}`)),
    digits.map((d) => `${d}.0`),
    digits.map((d) => `${d}_000`),
    digits.map((d) => `${d}abc`),
    digits.map((d) => d.replace(/[0-9]/g, (c) => String.fromCharCode(0x0660 + Number(c)))),
    fc.stringMatching(/^[0-9]{16,60}$/),
    fc.stringMatching(/^0{10,40}[1-9]$/).map((d) => d.padStart(17, '0')),
    ...(parameter.minimum !== undefined && parameter.minimum >= 0 ? [digits.map((d) => `-${d}`)] : []),
    ...outOfRange,
  );
}

let app: StartedApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

function requestPath(parameter: IntegerParameter, value: string): string {
  const query = new URLSearchParams();
  let path = parameter.path;
  for (const name of parameter.required) {
    expect(REQUIRED[name], `a valid value for the required ${name}`).toBeDefined();
    query.set(name, REQUIRED[name]!);
  }
  if (parameter.in === 'query') query.set(parameter.name, value);
  else path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
  return `${path}?${query}`;
}

describe('numeric parameters, enumerated from both specs', () => {
  it('include the catalog page and the recommendations stream (the enumeration finds them)', () => {
    expect(PARAMETERS.map((p) => `${p.operationId} ${p.in} ${p.name}`).sort()).toEqual(
      expect.arrayContaining([
        'listPets query limit',
        'listPets query offset',
        'streamRecommendations query limit',
      ]),
    );
  });

  it.each(PARAMETERS.map((parameter) => [`${parameter.operationId} ${parameter.name}`, parameter] as const))(
    '%s: anything but plain decimal digits within the range is a 400 naming the field',
    async (_name, parameter) => {
      await fc.assert(
        fc.asyncProperty(notPlainDecimal(parameter), async (value) => {
          const response = await fetch(`${app.url}${requestPath(parameter, value)}`, {
            headers: { accept: 'text/event-stream, application/json' },
          });
          const problem = await expectProblem(response, 400);
          expect(problem.errors).toContainEqual(
            expect.objectContaining({ in: parameter.in, pointer: `/${parameter.name}` }),
          );
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
  );

  it.each(PARAMETERS.map((parameter) => [`${parameter.operationId} ${parameter.name}`, parameter] as const))(
    '%s: plain decimal digits at both ends of the range are taken',
    async (_name, parameter) => {
      const ends = [parameter.minimum ?? -5, parameter.maximum ?? 5].map(String);
      for (const value of ends) {
        const response = await fetch(`${app.url}${requestPath(parameter, value)}`, {
          headers: { accept: 'text/event-stream, application/json' },
        });
        expect(response.status, `${parameter.name}=${value}`).toBe(200);
        await response.body?.cancel();
      }
    },
  );
});
