import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/codegen/generate.js';
import { SpecError } from '../../scripts/codegen/problems.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const codegen = path.join(root, 'scripts/codegen/index.ts');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-codegen-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function copyOf(folder: 'spec' | 'generated', name: string): Promise<string> {
  const target = path.join(work, name);
  await cp(path.join(root, folder), target, { recursive: true });
  return target;
}

async function problemsOf(specDir: string): Promise<string[]> {
  try {
    await generate(specDir);
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map((p) => `${p.file}#${p.pointer}: ${p.message}`);
    throw error;
  }
  return [];
}

async function runCodegen(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [codegen, ...args], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

// generate() takes about 10 s of CPU (the spec declares every answer); on a loaded shared machine, several times that.
describe('codegen', { timeout: 180_000 }, () => {
  it('produces byte-identical output from the same spec', async () => {
    const first = await generate(path.join(root, 'spec'));
    const second = await generate(path.join(root, 'spec'));
    expect([...second.entries()]).toEqual([...first.entries()]);
    for (const [file, content] of first) {
      if (file.endsWith('.json')) expect(content).toContain('"x-generated"');
      else expect(content.startsWith('// generated from spec/')).toBe(true);
    }
  });

  it('matches the committed generated/ folder', async () => {
    const result = await runCodegen(['--check']);
    expect(result.output).toContain('up to date');
    expect(result.code).toBe(0);
  });

  it('fails the drift check on a hand edit and says how to fix it', async () => {
    const out = await copyOf('generated', 'edited');
    const events = path.join(out, 'events.ts');
    await writeFile(events, `${await readFile(events, 'utf8')}\nexport type Sneaky = 1;\n`);
    await writeFile(path.join(out, 'extra.ts'), 'export {};\n');
    const result = await runCodegen(['--check', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('events.ts: differs');
    expect(result.output).toContain('extra.ts: not produced by codegen');
    expect(result.output).toContain('npm run codegen');
  });

  it('names the file and JSON pointer of an invalid shared schema', async () => {
    const spec = await copyOf('spec', 'bad-schema');
    const file = path.join(spec, 'schemas/StockChange.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('additionalProperties: false', 'additionalProperties: true'),
    );
    expect(await problemsOf(spec)).toContainEqual(
      'spec/schemas/StockChange.yaml#/additionalProperties: objects are closed: additionalProperties: false',
    );
  });

  it('names the file and JSON pointer of an OpenAPI document error', async () => {
    const spec = await copyOf('spec', 'bad-openapi');
    const file = path.join(spec, 'openapi.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        "        '200':\n          description: Stock and price per pet.\n",
        "        '200':\n",
      ),
    );
    const problems = await problemsOf(spec);
    expect(
      problems.some(
        (p) =>
          p.startsWith('spec/openapi.yaml#/paths/~1v1~1inventory/get/responses/200') &&
          p.includes('description'),
      ),
    ).toBe(true);
  });

  it('names the file and JSON pointer of an AsyncAPI document error and of a broken $ref', async () => {
    const spec = await copyOf('spec', 'bad-asyncapi');
    const file = path.join(spec, 'asyncapi.yaml');
    const text = (await readFile(file, 'utf8'))
      .replace(
        '      terminal: [complete, stream-error]\n      repeatable: [recommendation]',
        '      terminal: [done, stream-error]\n      repeatable: [recommendation]',
      )
      .replace('$ref: ./schemas/PriceChange.yaml', '$ref: ./schemas/Missing.yaml')
      .replace(
        '    action: send\n    title: Stream recommendations',
        '    action: shout\n    title: Stream recommendations',
      );
    await writeFile(file, text);
    const problems = await problemsOf(spec);
    expect(problems).toContainEqual('spec/schemas/Missing.yaml#: file not found (referenced by a $ref)');
    const fixed = text.replace('$ref: ./schemas/Missing.yaml', '$ref: ./schemas/PriceChange.yaml');
    await writeFile(file, fixed);
    const rest = await problemsOf(spec);
    expect(rest.some((p) => p.startsWith('spec/asyncapi.yaml#/operations/sendRecommendations/action'))).toBe(
      true,
    );
    expect(rest).toContainEqual(
      'spec/asyncapi.yaml#/channels/recommendationsStream/x-sse-grammar: "done" is not the name of a message of this channel',
    );
  });

  it('refuses a $ref outside spec/schemas and a schema of the document named like a shared one', async () => {
    const spec = await copyOf('spec', 'foreign-ref');
    await mkdir(path.join(spec, 'elsewhere'));
    await cp(path.join(spec, 'schemas/PriceChange.yaml'), path.join(spec, 'elsewhere/PriceChange.yaml'));
    const asyncapi = path.join(spec, 'asyncapi.yaml');
    await writeFile(
      asyncapi,
      (await readFile(asyncapi, 'utf8')).replace(
        '$ref: ./schemas/PriceChange.yaml',
        '$ref: ./elsewhere/PriceChange.yaml',
      ),
    );
    expect(await problemsOf(spec)).toContainEqual(
      'spec/elsewhere/PriceChange.yaml#: is the target of a $ref, which must name a file in spec/schemas (./schemas/Name.yaml)',
    );

    const clash = await copyOf('spec', 'clashing-schema');
    const openapi = path.join(clash, 'openapi.yaml');
    const text = await readFile(openapi, 'utf8');
    expect(text).toContain('components:\n');
    await writeFile(
      openapi,
      text.replace(/\n {2}schemas:\n/, '\n  schemas:\n    Pet:\n      type: string\n'),
    );
    expect(await problemsOf(clash)).toContainEqual(
      'spec/openapi.yaml#/components/schemas/Pet: clashes with spec/schemas/Pet.yaml',
    );
  });
});
