import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundle, createConfig, type NormalizedProblem } from '@redocly/openapi-core';
import { parseDocument } from 'yaml';
import type { SpecProblem } from './problems.js';

export type JsonObject = { [key: string]: unknown };

/** A spec with every `$ref` to `spec/schemas/*.yaml` turned into `#/components/schemas/<Name>`. */
export interface BundledSpec {
  doc: JsonObject;
  /** Shared schema names pulled in from spec/schemas, sorted. */
  sharedSchemas: readonly string[];
  /** Maps a bundled component pointer (`/components/schemas/Pet`) to the file it came from. */
  sourceOf(pointer: string): { file: string; pointer: string };
}

export async function loadYaml(
  file: string,
  displayName: string,
): Promise<{ value: unknown; problems: SpecProblem[] }> {
  const text = await readFile(file, 'utf8');
  const document = parseDocument(text, { prettyErrors: false });
  const problems = document.errors.map((error) => ({
    file: displayName,
    pointer: '',
    message: `YAML: ${error.message.split('\n')[0]} (line ${error.linePos?.[0]?.line ?? '?'})`,
  }));
  return { value: problems.length === 0 ? document.toJS() : undefined, problems };
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A shared schema file's name (`Pet` for spec/schemas/Pet.yaml), or `undefined` for any other file. */
function sharedSchemaName(specDir: string, file: string): string | undefined {
  if (path.dirname(file) !== path.join(specDir, 'schemas')) return undefined;
  return /^([A-Z][A-Za-z0-9]*)\.yaml$/.exec(path.basename(file))?.[1];
}

/** A file's name as the house's messages show it: `spec/…`, wherever the spec folder is. */
const inSpec = (specDir: string, file: string) => `spec/${path.relative(specDir, file)}`;

/** A bundler problem in the house form: the file under spec/ and the JSON pointer in it. */
function toSpecProblem(specDir: string, problem: NormalizedProblem): SpecProblem {
  const where = problem.location[0];
  const file = where ? inSpec(specDir, where.source.absoluteRef) : 'spec';
  const pointer =
    where && 'pointer' in where ? decodeURIComponent((where.pointer ?? '').replace(/^#/, '')) : '';
  const missing = /^Can't resolve \$ref: ENOENT: no such file or directory '(.+)'$/.exec(problem.message);
  if (missing)
    return {
      file: inSpec(specDir, missing[1]!),
      pointer: '',
      message: 'file not found (referenced by a $ref)',
    };
  return { file, pointer, message: problem.message };
}

/**
 * Bundles one document with Redocly's bundler: every shared schema it references (directly or through
 * another) is placed under components.schemas by its file name, so both documents share the names. A
 * reference must name a file in spec/schemas; the shared schemas come first, sorted, then the document's own.
 */
export async function bundleSpec(specDir: string, fileName: string): Promise<BundledSpec | SpecProblem[]> {
  const display = `spec/${fileName}`;
  const loaded = await loadYaml(path.join(specDir, fileName), display);
  if (!isObject(loaded.value)) {
    return loaded.problems.length
      ? loaded.problems
      : [{ file: display, pointer: '', message: 'not a YAML mapping' }];
  }
  const ownNames = Object.keys(asObject(asObject(loaded.value.components).schemas));
  const result = await bundle({ ref: path.join(specDir, fileName), config: await createConfig({}) });
  const problems = result.problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => toSpecProblem(specDir, problem));
  const shared: string[] = [];
  for (const file of result.fileDependencies) {
    if (file === path.join(specDir, fileName)) continue;
    const name = sharedSchemaName(specDir, file);
    if (name === undefined)
      problems.push({
        file: inSpec(specDir, file),
        pointer: '',
        message: 'is the target of a $ref, which must name a file in spec/schemas (./schemas/Name.yaml)',
      });
    else if (ownNames.includes(name))
      problems.push({
        file: display,
        pointer: `/components/schemas/${name}`,
        message: `clashes with spec/schemas/${name}.yaml`,
      });
    else shared.push(name);
  }
  if (problems.length > 0) return problems;

  const doc = result.bundle.parsed as JsonObject;
  const components = asObject(doc.components);
  const bundled = asObject(components.schemas);
  const sharedSchemas = shared.sort();
  const schemas: JsonObject = {};
  for (const name of [...sharedSchemas, ...ownNames]) schemas[name] = bundled[name];
  const unexpected = Object.keys(bundled).filter((name) => !(name in schemas));
  if (unexpected.length > 0)
    return unexpected.map((name) => ({
      file: display,
      pointer: `/components/schemas/${name}`,
      message: 'was added by the bundler for a $ref that names no shared schema file',
    }));
  doc.components = { ...components, schemas };
  return {
    doc,
    sharedSchemas,
    sourceOf(pointer) {
      const match = /^\/components\/schemas\/([^/]+)(.*)$/.exec(pointer);
      if (match && sharedSchemas.includes(match[1]!))
        return { file: `spec/schemas/${match[1]}.yaml`, pointer: match[2] ?? '' };
      return { file: display, pointer };
    },
  };
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}
