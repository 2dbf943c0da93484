import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generate } from '../../scripts/codegen/generate.js';
import { SpecError } from '../../scripts/codegen/problems.js';

const root = path.resolve(import.meta.dirname, '../..');
let spec: string;
beforeAll(async () => {
  spec = path.join(await mkdtemp(path.join(os.tmpdir(), 'petstore-stream-queries-')), 'spec');
  await cp(path.join(root, 'spec'), spec, { recursive: true });
});
afterAll(async () => {
  await rm(path.dirname(spec), { recursive: true, force: true });
});

async function problemsOf(specDir: string): Promise<string[]> {
  try {
    await generate(specDir);
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map((p) => `${p.file}#${p.pointer}: ${p.message}`);
    throw error;
  }
  return [];
}

it("names a stream's http binding query that is open, or that differs from its OpenAPI parameters", async () => {
  const file = path.join(spec, 'asyncapi.yaml');
  const text = (await readFile(file, 'utf8'))
    .replace(
      '          additionalProperties: false\n          required: [userId]',
      '          required: [userId]',
    )
    .replace(
      '            petId:\n              description: Only events about this pet.',
      '            itemId:\n              description: Only events about this pet.',
    );
  await writeFile(file, text);
  expect(await problemsOf(spec)).toEqual([
    'spec/asyncapi.yaml#/operations/sendRecommendations/bindings/http/query: a stream query is closed: set additionalProperties: false',
    'spec/asyncapi.yaml#/operations/sendInventoryChanges/bindings/http/query: names itemId, lastEventId, but OpenAPI streamInventory declares lastEventId, petId',
  ]);
});
