import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { Price } from '../../generated/validators/schemas.js';
import { bundleSpec, type JsonObject } from '../../scripts/codegen/bundle.js';

const specDir = path.resolve(import.meta.dirname, '../../spec');
const PRICES_IN_THE_SEED = [19.99, 79.99, 249.99, 0.07, 1234.56, 0, 1_000_000];

async function publishedPrice(): Promise<JsonObject> {
  const spec = await bundleSpec(specDir, 'openapi.yaml');
  if (Array.isArray(spec)) throw new Error(JSON.stringify(spec));
  return ((spec.doc.components as JsonObject).schemas as JsonObject).Price as JsonObject;
}

describe('prices', () => {
  it('are valid under Ajv at its default settings, as Prism and other tools validate them', async () => {
    const validate = new Ajv2020().compile(await publishedPrice());
    for (const price of PRICES_IN_THE_SEED) expect(validate(price), String(price)).toBe(true);
  });

  it('carry no floating multipleOf in the published documents', async () => {
    expect(await publishedPrice()).not.toHaveProperty('multipleOf');
  });

  it('are still refused with a third decimal by the validators the server compiles', () => {
    for (const price of PRICES_IN_THE_SEED) expect(Price(price), String(price)).toBe(true);
    for (const price of [19.999, 0.001, 249.995]) expect(Price(price), String(price)).toBe(false);
  });
});
