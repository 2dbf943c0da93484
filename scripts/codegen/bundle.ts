import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { type SpecProblem, toPointer } from './problems.js';

export type JsonObject = { [key: string]: unknown };

/** A spec with every `$ref` to `spec/schemas/*.yaml` turned into `#/components/schemas/<Name>`. */
export interface BundledSpec {
  doc: JsonObject;
  /** Shared schema names pulled in from spec/schemas, in the order they were added. */
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

/**
 * Inlines the shared schemas a document references. A reference must name a file in spec/schemas;
 * the schema is placed under components.schemas by its file name, so both documents share the names.
 */
export async function bundleSpec(specDir: string, fileName: string): Promise<BundledSpec | SpecProblem[]> {
  const loaded = await loadYaml(path.join(specDir, fileName), `spec/${fileName}`);
  if (!isObject(loaded.value)) {
    return loaded.problems.length
      ? loaded.problems
      : [{ file: `spec/${fileName}`, pointer: '', message: 'not a YAML mapping' }];
  }
  const doc = loaded.value;
  const problems: SpecProblem[] = [];
  const shared = new Map<string, JsonObject>();
  const pending: string[] = [];

  const rewrite = (node: unknown, fromFile: string, trail: (string | number)[]): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) rewrite(item, fromFile, [...trail, index]);
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        const name = sharedSchemaName(value);
        if (name === undefined) {
          problems.push({
            file: fromFile,
            pointer: toPointer(trail),
            message: `$ref "${value}" must name a file in spec/schemas (./schemas/Name.yaml)`,
          });
          continue;
        }
        node[key] = `#/components/schemas/${name}`;
        if (!shared.has(name) && !pending.includes(name)) pending.push(name);
      } else {
        rewrite(value, fromFile, [...trail, key]);
      }
    }
  };

  rewrite(doc, `spec/${fileName}`, []);
  while (pending.length > 0) {
    const name = pending.shift()!;
    const displayName = `spec/schemas/${name}.yaml`;
    const schema = await loadYaml(path.join(specDir, 'schemas', `${name}.yaml`), displayName).catch(() => ({
      value: undefined,
      problems: [{ file: displayName, pointer: '', message: 'file not found (referenced by a $ref)' }],
    }));
    problems.push(...schema.problems);
    if (!isObject(schema.value)) continue;
    shared.set(name, schema.value);
    rewrite(schema.value, displayName, []);
  }

  const components = isObject(doc.components) ? doc.components : {};
  const own = isObject(components.schemas) ? components.schemas : {};
  for (const name of Object.keys(own)) {
    if (shared.has(name)) {
      problems.push({
        file: `spec/${fileName}`,
        pointer: `/components/schemas/${name}`,
        message: `clashes with spec/schemas/${name}.yaml`,
      });
    }
  }
  const sharedNames = [...shared.keys()].sort();
  const schemas: JsonObject = {};
  for (const name of sharedNames) schemas[name] = shared.get(name);
  Object.assign(schemas, own);
  doc.components = { ...components, schemas };
  if (problems.length > 0) return problems;

  return {
    doc,
    sharedSchemas: sharedNames,
    sourceOf(pointer) {
      const match = /^\/components\/schemas\/([^/]+)(.*)$/.exec(pointer);
      if (match && shared.has(match[1]!))
        return { file: `spec/schemas/${match[1]}.yaml`, pointer: match[2] ?? '' };
      return { file: `spec/${fileName}`, pointer };
    },
  };
}

function sharedSchemaName(ref: string): string | undefined {
  const match = /^(?:\.\/)?(?:schemas\/)?([A-Z][A-Za-z0-9]*)\.yaml$/.exec(ref);
  return match?.[1];
}
