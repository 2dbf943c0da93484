import { JSON_BANNER, JSON_BANNER_KEY } from './banner.js';
import { type BundledSpec, bundleSpec, type JsonObject } from './bundle.js';
import { readChannels } from './channelModel.js';
import { generateChannels, generateEventMaps } from './eventMaps.js';
import { generateIdempotentWrites } from './idempotentWrites.js';
import { generateModels } from './models.js';
import { toOpenApi32 } from './openapi32.js';
import { readOperations } from './operationModel.js';
import { generateOperations } from './operations.js';
import type { FileSet } from './output.js';
import { assertNoProblems, type SpecProblem } from './problems.js';
import { generateRestTypes } from './restTypes.js';
import { checkScopes } from './scopes.js';
import { checkSharedSchemas } from './sharedSchemaRules.js';
import { checkStreamQueries } from './streamQueries.js';
import { validateAsyncApi } from './validateAsyncApi.js';
import { validateOpenApi } from './validateOpenApi.js';
import { validateOpenApi32 } from './validateOpenApi32.js';
import { bodySchemas, compileModule, parameterSchemas } from './validators.js';
import { withWholeCents } from './wholeCents.js';

async function bundleBoth(specDir: string): Promise<{ asyncapi: BundledSpec; openapi: BundledSpec }> {
  const [asyncapi, openapi] = await Promise.all([
    bundleSpec(specDir, 'asyncapi.yaml'),
    bundleSpec(specDir, 'openapi.yaml'),
  ]);
  assertNoProblems([
    ...(Array.isArray(asyncapi) ? asyncapi : []),
    ...(Array.isArray(openapi) ? openapi : []),
  ]);
  return { asyncapi: asyncapi as BundledSpec, openapi: openapi as BundledSpec };
}

const uniqueProblems = (problems: SpecProblem[]): SpecProblem[] => [
  ...new Map(
    problems.map((problem) => [`${problem.file}#${problem.pointer} ${problem.message}`, problem]),
  ).values(),
];

const json = (doc: JsonObject): string =>
  `${JSON.stringify({ [JSON_BANNER_KEY]: JSON_BANNER, ...doc }, null, 2)}\n`;

/**
 * Reads spec/, validates both documents and every house rule, and returns every generated file.
 * Throws a SpecError listing each problem (file, JSON pointer, message) when the contract is not valid.
 */
export async function generate(specDir: string): Promise<FileSet> {
  const { asyncapi, openapi } = await bundleBoth(specDir);
  const parsed = await validateAsyncApi(asyncapi);
  const { channels, problems: channelProblems } = readChannels(asyncapi);
  assertNoProblems(
    uniqueProblems([
      ...parsed.problems,
      ...validateOpenApi(openapi),
      ...channelProblems,
      ...checkSharedSchemas(asyncapi),
      ...checkSharedSchemas(openapi),
    ]),
  );
  const operations = readOperations(openapi);
  assertNoProblems([...checkStreamQueries(asyncapi, operations), ...checkScopes(openapi, operations)]);
  const components = withWholeCents({
    ...((asyncapi.doc.components as JsonObject).schemas as JsonObject),
    ...((openapi.doc.components as JsonObject).schemas as JsonObject),
  });
  const fileOf = (name: string) =>
    openapi.sharedSchemas.includes(name) || asyncapi.sharedSchemas.includes(name)
      ? `spec/schemas/${name}.yaml`
      : `spec/openapi.yaml (${name})`;
  const schemasModule = compileModule(bodySchemas(components, operations), { defaults: false, fileOf });
  const parameters = parameterSchemas(components, operations);
  const paramsModule = compileModule(parameters.schemas, {
    defaults: true,
    exportNames: parameters.exportNames,
    fileOf,
  });
  const openapi32 = toOpenApi32(openapi.doc, asyncapi.doc, channels);
  assertNoProblems(await validateOpenApi32(openapi32));

  return new Map([
    ['models.ts', await generateModels(parsed.document!)],
    ['openapi.ts', await generateRestTypes(openapi.doc)],
    ['events.ts', generateEventMaps(channels)],
    ['channels.ts', generateChannels(channels)],
    ['operations.ts', generateOperations(operations)],
    ['idempotentWrites.ts', generateIdempotentWrites(operations)],
    ['validators/schemas.js', schemasModule.js],
    ['validators/schemas.d.ts', schemasModule.dts],
    ['validators/params.js', paramsModule.js],
    ['validators/params.d.ts', paramsModule.dts],
    ['specs/asyncapi.json', json(asyncapi.doc)],
    ['specs/openapi.json', json(openapi.doc)],
    ['specs/openapi-3.2.json', json(openapi32)],
  ]);
}
