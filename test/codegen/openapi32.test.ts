import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../generated/channels.js';
import { createAjv } from '../../scripts/codegen/ajvFactory.js';
import { type BundledSpec, bundleSpec, type JsonObject } from '../../scripts/codegen/bundle.js';
import { readChannels } from '../../scripts/codegen/channelModel.js';
import { toOpenApi32 } from '../../scripts/codegen/openapi32.js';
import { SpecError } from '../../scripts/codegen/problems.js';

const root = path.resolve(import.meta.dirname, '../..');
const SSE = 'text/event-stream';

type Doc = JsonObject & { paths: Record<string, Record<string, JsonObject>>; components: JsonObject };

let openapi: BundledSpec;
let asyncapi: BundledSpec;
let doc32: Doc;

beforeAll(async () => {
  [openapi, asyncapi] = (await Promise.all([
    bundleSpec(path.join(root, 'spec'), 'openapi.yaml'),
    bundleSpec(path.join(root, 'spec'), 'asyncapi.yaml'),
  ])) as [BundledSpec, BundledSpec];
  doc32 = JSON.parse(await readFile(path.join(root, 'generated/specs/openapi-3.2.json'), 'utf8')) as Doc;
});

const convert = (doc: JsonObject = openapi.doc) =>
  toOpenApi32(doc, asyncapi.doc, readChannels(asyncapi).channels) as Doc;

const schemas = (doc: Doc) => doc.components.schemas as Record<string, JsonObject>;
const refName = (node: unknown) =>
  String((node as JsonObject).$ref)
    .split('/')
    .pop()!;

/** Every stream operation of a document: the channel it names and its `text/event-stream` media type. */
function streamOperations(doc: Doc): { channel: keyof typeof channels; media: JsonObject }[] {
  const responses = doc.components.responses as Record<string, JsonObject>;
  return Object.values(doc.paths).flatMap((item) =>
    Object.values(item)
      .filter((operation) => typeof operation['x-asyncapi-channel'] === 'string')
      .map((operation) => {
        const ok = (operation.responses as JsonObject)['200'] as JsonObject;
        const response = ok.$ref ? responses[refName(ok)]! : ok;
        const media = (response.content as JsonObject)[SSE] as JsonObject;
        return { channel: operation['x-asyncapi-channel'] as keyof typeof channels, media };
      }),
  );
}

function parseFrames(text: string): EventSourceMessage[] {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  parser.feed(text);
  return frames;
}

describe('openapi-3.2.json', () => {
  it('is what codegen writes: OpenAPI 3.2.0 from the bundled 3.1 document', () => {
    const { 'x-generated': _banner, ...committed } = doc32;
    expect(committed).toEqual(convert());
    expect(doc32.openapi).toBe('3.2.0');
  });

  it('gives every stream one item schema per event of its AsyncAPI channel, unnamed frames without event', () => {
    const streams = streamOperations(doc32);
    expect(streams.map((stream) => stream.channel).sort()).toEqual(Object.keys(channels).sort());
    for (const { channel, media } of streams) {
      expect(media.schema).toBeUndefined();
      const item = schemas(doc32)[refName(media.itemSchema)]!;
      const variants = ((item.oneOf ?? item.anyOf) as JsonObject[]).map(
        (ref) => schemas(doc32)[refName(ref)]!,
      );
      const meta = channels[channel];
      expect(variants).toHaveLength(meta.events.length);
      for (const [index, name] of meta.events.entries()) {
        const properties = variants[index]!.properties as Record<string, JsonObject>;
        const unnamed = (meta.unnamedEvents as readonly string[]).includes(name);
        expect(properties.event, `${channel} ${name}`).toEqual(
          unnamed ? undefined : { type: 'string', const: name },
        );
        const payload = meta.messages[name as keyof typeof meta.messages] as { schema: string };
        const data = properties.data!;
        if ((meta.rawDataEvents as readonly string[]).includes(name))
          expect(refName(data)).toBe(payload.schema);
        else expect(data).toMatchObject({ type: 'string', contentMediaType: 'application/json' });
        if (data.contentSchema) expect(refName(data.contentSchema)).toBe(payload.schema);
      }
    }
  });

  it('discriminates a stream by event, sending an item without one to its unnamed event', () => {
    const item = schemas(doc32).OrderStatusStreamItem!;
    expect(item.discriminator).toEqual({
      propertyName: 'event',
      mapping: {
        complete: '#/components/schemas/OrderCompleteEvent',
        reset: '#/components/schemas/ResetEvent',
        'stream-error': '#/components/schemas/StreamErrorEvent',
      },
      defaultMapping: '#/components/schemas/OrderStatusUpdateEvent',
    });
  });

  it('accepts the frames a client parses and refuses a wrong event name or an unnamed frame named', () => {
    const ajv = createAjv({ strict: false });
    ajv.addSchema({ ...doc32, $id: 'doc' }, 'doc');
    const validate = ajv.compile({ $ref: 'doc#/components/schemas/OrderStatusStreamItem' });
    const update = JSON.stringify({ status: 'payment_confirmed', timestamp: '2026-11-24T10:15:30.123Z' });
    expect(validate({ data: update, id: '2' })).toBe(true);
    expect(validate({ event: 'message', data: update, id: '2' })).toBe(false);
    expect(validate({ event: 'stock-change', data: update, id: '2' })).toBe(false);
    expect(validate({ event: 'complete', id: '4' })).toBe(false);
  });

  it('carries every AsyncAPI message example, its wire form parsing back to its data', () => {
    const ajv = createAjv({ strict: false });
    ajv.addSchema({ ...doc32, $id: 'doc' }, 'doc');
    for (const { media } of streamOperations(doc32)) {
      const validate = ajv.compile({ $ref: `doc#/components/schemas/${refName(media.itemSchema)}` });
      const examples = Object.values(media.examples as Record<string, JsonObject>);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        expect(validate(example.dataValue), JSON.stringify(validate.errors)).toBe(true);
        const [frame] = parseFrames(example.serializedValue as string);
        const { event, data } = example.dataValue as { event?: string; data: string };
        expect(frame).toMatchObject({ event, data });
      }
    }
  });

  it('drops the 3.1 stream data schemas and changes nothing else', () => {
    const doc31 = openapi.doc as Doc;
    expect(schemas(doc32).InventoryStreamData).toBeUndefined();
    expect(doc32.paths['/v1/pets']).toEqual(doc31.paths['/v1/pets']);
    expect(schemas(doc32).Pet).toEqual(schemas(doc31).Pet);
    expect(doc32.info).toEqual(doc31.info);
  });

  it('leaves its input unchanged', () => {
    const before = structuredClone(openapi.doc);
    convert();
    expect(openapi.doc).toEqual(before);
  });

  it('names the operation whose x-asyncapi-channel is not a channel', () => {
    const broken = structuredClone(openapi.doc) as Doc;
    broken.paths['/v1/inventory/stream']!.get!['x-asyncapi-channel'] = 'inventoryStreem';
    expect(() => convert(broken)).toThrow(SpecError);
    try {
      convert(broken);
    } catch (error) {
      expect((error as SpecError).problems).toEqual([
        {
          file: 'spec/openapi.yaml',
          pointer: '/paths/~1v1~1inventory~1stream/get/x-asyncapi-channel',
          message: '"inventoryStreem" is not a channel of spec/asyncapi.yaml',
        },
      ]);
    }
  });
});
