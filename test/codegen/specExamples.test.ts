import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { type BundledSpec, bundleSpec, type JsonObject } from '../../scripts/codegen/bundle.js';

const specDir = path.resolve(import.meta.dirname, '../../spec');
// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const BASE = 'https://petstore-sse.test/';

interface Example {
  where: string;
  schema: unknown;
  value: unknown;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null;

/**
 * The frames of a `text/event-stream` example, which is wire text (so importers show frames): each frame's
 * `data` must be valid against the media type's schema, JSON-decoded unless it is not JSON (`[DONE]`).
 */
function frameExamples(where: string, schema: unknown, wire: unknown): Example[] {
  const frames: EventSourceMessage[] = [];
  createParser({ onEvent: (frame) => frames.push(frame) }).feed(String(wire));
  if (frames.length === 0) return [{ where, schema: { not: {} }, value: wire }];
  return frames.map((frame, index) => ({
    where: `${where}#frame${index}`,
    schema,
    value: decode(frame.data),
  }));
}

function decode(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Every example in a bundled document, paired with the schema it must satisfy. */
function collectExamples(doc: JsonObject): Example[] {
  const found: Example[] = [];
  const visit = (node: unknown, where: string): void => {
    if (!isObject(node)) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        visit(item, `${where}/${index}`);
      });
      return;
    }
    if (Array.isArray(node.examples) && 'type' in node) {
      for (const [index, value] of node.examples.entries())
        found.push({ where: `${where}/examples/${index}`, schema: node, value });
    }
    if ('schema' in node && isObject(node.examples) && !Array.isArray(node.examples)) {
      for (const [name, example] of Object.entries(node.examples)) {
        if (!isObject(example) || !('value' in example)) continue;
        const at = `${where}/examples/${name}`;
        if (where.endsWith('/text/event-stream'))
          found.push(...frameExamples(at, node.schema, example.value));
        else found.push({ where: at, schema: node.schema, value: example.value });
      }
    }
    if ('payload' in node && Array.isArray(node.examples)) {
      for (const [index, example] of node.examples.entries()) {
        if (isObject(example))
          found.push({ where: `${where}/examples/${index}`, schema: node.payload, value: example.payload });
      }
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${where}/${key}`);
  };
  visit(doc, '');
  return found;
}

/**
 * Ajv as any tool ships it: JSON Schema 2020-12 (OpenAPI 3.1's dialect) with formats, default settings (strict,
 * no `multipleOfPrecision`), so an example that only passes the project's own tuned Ajv fails here.
 */
function validatorFor(spec: BundledSpec) {
  const ajv = new Ajv2020();
  addFormats(ajv);
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === '$ref' && typeof value === 'string'
          ? [key, value.replace('#/components/schemas/', BASE)]
          : [key, rewrite(value)],
      ),
    );
  };
  const schemas = (spec.doc.components as JsonObject).schemas as JsonObject;
  for (const [name, schema] of Object.entries(schemas))
    ajv.addSchema({ ...(rewrite(schema) as JsonObject), $id: `${BASE}${name}` });
  return (schema: unknown, value: unknown) => {
    const validate = ajv.compile(rewrite(schema) as JsonObject);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

describe.each(['asyncapi.yaml', 'openapi.yaml'])('the examples in spec/%s', (file) => {
  it('are all valid against their schemas under default Ajv', async () => {
    const spec = await bundleSpec(specDir, file);
    if (Array.isArray(spec)) throw new Error(JSON.stringify(spec));
    const check = validatorFor(spec);
    const examples = collectExamples(spec.doc);
    expect(examples.length).toBeGreaterThan(20);
    const failures = examples
      .map((example) => ({ where: example.where, errors: check(example.schema, example.value) }))
      .filter((result) => result.errors.length > 0);
    expect(failures).toEqual([]);
  });

  it('include at least one example for every schema of spec/schemas it uses', async () => {
    const spec = await bundleSpec(specDir, file);
    if (Array.isArray(spec)) throw new Error(JSON.stringify(spec));
    const schemas = (spec.doc.components as JsonObject).schemas as JsonObject;
    const withoutExamples = spec.sharedSchemas.filter(
      (name) => !Array.isArray((schemas[name] as JsonObject).examples),
    );
    expect(withoutExamples).toEqual([]);
  });
});

describe('the example collector', () => {
  it('finds a wrong example, so the check above can fail', async () => {
    const spec = await bundleSpec(specDir, 'asyncapi.yaml');
    if (Array.isArray(spec)) throw new Error(JSON.stringify(spec));
    const schemas = (spec.doc.components as JsonObject).schemas as JsonObject;
    (schemas.StockChange as JsonObject).examples = [{ petId: 'not-a-uuid', oldStock: -1, newStock: 2 }];
    const check = validatorFor(spec);
    const bad = collectExamples(spec.doc).filter((example) =>
      example.where.startsWith('/components/schemas/StockChange'),
    );
    expect(bad).toHaveLength(1);
    expect(check(bad[0]!.schema, bad[0]!.value)).not.toEqual([]);
  });
});
