import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type Json = { [key: string]: unknown };
const root = path.resolve(import.meta.dirname, '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** Where a request lands in the document: its path template and path item, and the operation for its method. */
export interface Match {
  template: string;
  item: Json;
  operation: Json | undefined;
}

/**
 * A bundled OpenAPI document (`generated/specs/…`) with its schemas compiled by Ajv at its default settings
 * (JSON Schema 2020-12 with formats; nothing tuned, no `multipleOfPrecision`). OpenAPI's `discriminator` is
 * known as the annotation it is in JSON Schema terms.
 */
export class OpenApiDocument {
  readonly doc: Json;
  readonly #ajv = new Ajv2020();
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #templates: { template: string; pattern: RegExp; literals: number }[];
  readonly #prefix: string;

  constructor(file: string) {
    this.doc = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Json;
    addFormats(this.#ajv);
    this.#ajv.addVocabulary(['discriminator']);
    const id = `https://petstore-sse.test/${path.basename(file)}`;
    this.#prefix = `${id}#/$defs/`;
    const schemas = JSON.stringify(asObject(asObject(this.doc.components).schemas));
    this.#ajv.addSchema({ $id: id, $defs: JSON.parse(this.#local(schemas)) as Json });
    this.#templates = Object.keys(asObject(this.doc.paths)).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}${template.endsWith('/') ? '' : '/?'}$`,
      ),
      literals: template.split('/').filter((segment) => !segment.includes('{')).length,
    }));
  }

  /** JSON text with `#/components/schemas/` refs pointing at the schemas as this Ajv holds them. */
  #local(text: string): string {
    return text.replaceAll('"#/components/schemas/', `"${this.#prefix}`);
  }

  /**
   * The path item a request path falls in, or undefined: the path itself, else the template with the most
   * literal segments. The router reads one trailing slash as none (`/v1/pets/` is `/v1/pets`), as the
   * document's description says.
   */
  match(method: string, requestPath: string): Match | undefined {
    const found =
      this.#templates.find(({ template }) => template === requestPath) ??
      this.#templates
        .filter(({ pattern }) => pattern.test(requestPath))
        .sort((a, b) => b.literals - a.literals)[0];
    if (!found) return undefined;
    const item = asObject(asObject(this.doc.paths)[found.template]);
    const operation = item[method.toLowerCase()];
    return {
      template: found.template,
      item,
      operation: operation === undefined ? undefined : asObject(operation),
    };
  }

  /** The operations of a path item. */
  operations(item: Json): Json[] {
    return METHODS.filter((method) => item[method] !== undefined).map((method) => asObject(item[method]));
  }

  /** Follows a `$ref` to `#/components/…` (responses, headers, …). */
  resolve(node: unknown): Json {
    const ref = asObject(node).$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return asObject(node);
    let target: unknown = this.doc;
    for (const segment of ref.slice(2).split('/')) target = asObject(target)[segment.replaceAll('~1', '/')];
    return this.resolve(target);
  }

  /** A validator for a schema of the document (its `#/components/schemas/` refs resolved). */
  validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(JSON.parse(this.#local(key)) as Json);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

export { asObject };
