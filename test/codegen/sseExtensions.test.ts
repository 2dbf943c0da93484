import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../generated/channels.js';
import { generate } from '../../scripts/codegen/generate.js';
import { SpecError } from '../../scripts/codegen/problems.js';

const root = path.resolve(import.meta.dirname, '../..');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-sse-extensions-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The problems codegen reports after `edit` changed one file of a copy of spec/. */
async function problemsAfter(name: string, file: string, edit: (text: string) => string): Promise<string[]> {
  const spec = path.join(work, name);
  await cp(path.join(root, 'spec'), spec, { recursive: true });
  const target = path.join(spec, file);
  const before = await readFile(target, 'utf8');
  const after = edit(before);
  expect(after, 'the edit changed nothing').not.toBe(before);
  await writeFile(target, after);
  try {
    await generate(spec);
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map((p) => `${p.file}#${p.pointer}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('x-sse-unnamed and x-sse-raw-data', () => {
  it('emit, per channel, the events written unnamed or as raw data, and the HTTP method', () => {
    expect(channels.chatCompletionsStream).toMatchObject({
      method: 'POST',
      unnamedEvents: ['chunk', 'done'],
      rawDataEvents: ['done'],
    });
    expect(channels.orderStatusStream).toMatchObject({
      method: 'GET',
      unnamedEvents: ['message'],
      rawDataEvents: [],
    });
    expect(channels.inventoryStream).toMatchObject({ method: 'GET', unnamedEvents: [], rawDataEvents: [] });
  });

  it('refuse a raw-data message whose payload is not a string', async () => {
    const problems = await problemsAfter('raw-object', 'asyncapi.yaml', (text) =>
      text.replace(
        '      x-sse-unnamed: true\n      payload:\n        $ref: ./schemas/ChatCompletionChunk.yaml',
        '      x-sse-unnamed: true\n      x-sse-raw-data: true\n      payload:\n        $ref: ./schemas/ChatCompletionChunk.yaml',
      ),
    );
    expect(problems).toContainEqual(
      'spec/asyncapi.yaml#/components/messages/chatCompletionChunk/payload: an x-sse-raw-data payload must be a string',
    );
  });

  it('refuse an unnamed raw-data payload without a fixed value next to other unnamed events', async () => {
    const problems = await problemsAfter('raw-open', 'schemas/ChatCompletionDone.yaml', (text) =>
      text.replace("enum: ['[DONE]']\n", ''),
    );
    expect(problems.join('\n')).toContain(
      'spec/asyncapi.yaml#/components/messages/chatCompletionDone/payload: an unnamed x-sse-raw-data payload needs an enum or const',
    );
  });

  it('refuse two unnamed events that both carry JSON, and a flag that is not a boolean', async () => {
    const problems = await problemsAfter('two-json', 'asyncapi.yaml', (text) =>
      text
        .replace('      title: Stream error\n', '      title: Stream error\n      x-sse-unnamed: true\n')
        .replace('      x-sse-raw-data: true\n', "      x-sse-raw-data: 'yes'\n"),
    );
    expect(problems).toContainEqual(
      'spec/asyncapi.yaml#/channels/chatCompletionsStream/messages: at most one unnamed event may carry JSON: clients cannot tell two apart',
    );
    expect(problems).toContainEqual(
      'spec/asyncapi.yaml#/components/messages/chatCompletionDone/x-sse-raw-data: x-sse-raw-data must be true or false',
    );
  });
});
