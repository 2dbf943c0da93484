import { TypeScriptGenerator } from '@asyncapi/modelina';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { BANNER } from './banner.js';

/** Payload models of every AsyncAPI message, as TypeScript interfaces and unions, in one module. */
export async function generateModels(document: AsyncAPIDocumentInterface): Promise<string> {
  const generator = new TypeScriptGenerator({
    modelType: 'interface',
    enumType: 'union',
    mapType: 'record',
    rawPropertyNames: true,
  });
  const models = await generator.generate(document as never);
  const blocks = models
    .filter((model) => model.result.trim() !== '')
    .sort((a, b) => a.modelName.localeCompare(b.modelName))
    .map((model) => `export ${model.result.trim()}`);
  return `${BANNER}\n\n${blocks.join('\n\n')}\n`;
}
