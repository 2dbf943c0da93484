import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../scripts/codegen/bundle.js';
import { validateOpenApi32 } from '../../scripts/codegen/validateOpenApi32.js';

const file = path.resolve(import.meta.dirname, '../../generated/specs/openapi-3.2.json');
const load = async () => JSON.parse(await readFile(file, 'utf8')) as JsonObject;

describe('the OpenAPI 3.2 document codegen writes', () => {
  it('is valid against the official OpenAPI 3.2 JSON Schema', async () => {
    expect(await validateOpenApi32(await load())).toEqual([]);
  });

  it('is reported, with a pointer, when it is not', async () => {
    const doc = await load();
    const paths = doc.paths as Record<string, Record<string, JsonObject>>;
    (paths['/healthz']!.get!.responses as JsonObject)['200'] = { description: 'ok', bogus: 1 };
    const problems = await validateOpenApi32(doc);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((problem) => problem.pointer.startsWith('/paths/~1healthz/get/responses/200'))).toBe(
      true,
    );
  });
});
