import { type AsyncAPIDocumentInterface, Parser } from '@asyncapi/parser';
import type { BundledSpec } from './bundle.js';
import { type SpecProblem, toPointer } from './problems.js';

const ERROR = 0;

/** Parses and validates a bundled AsyncAPI 3.0 document; the parsed document is what Modelina reads. */
export async function validateAsyncApi(
  spec: BundledSpec,
): Promise<{ document?: AsyncAPIDocumentInterface; problems: SpecProblem[] }> {
  const parser = new Parser();
  const { document, diagnostics } = await parser.parse(structuredClone(spec.doc) as never);
  const problems = diagnostics
    .filter((diagnostic) => diagnostic.severity === ERROR)
    .map((diagnostic) => ({
      ...spec.sourceOf(toPointer(diagnostic.path)),
      message: `${diagnostic.message} [${diagnostic.code}]`,
    }));
  return document === undefined ? { problems } : { document, problems };
}
