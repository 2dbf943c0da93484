import type { JsonObject } from './bundle.js';
import type { ChannelEvent, ChannelModel } from './channelModel.js';

const SCHEMAS = '#/components/schemas/';

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
const ref = (name: string): JsonObject => ({ $ref: `${SCHEMAS}${name}` });

/** The component name of one event's item schema, after its AsyncAPI message: `StockChangeEvent`. */
export const eventSchemaName = (event: ChannelEvent): string => `${pascal(event.messageId)}Event`;
/** The component name of a stream's item schema, after its AsyncAPI channel: `InventoryStreamItem`. */
export const itemSchemaName = (channel: ChannelModel): string => `${pascal(channel.id)}Item`;

/**
 * One SSE item as OAS 3.2 models it (`{event?, data, id?, retry?}`, "Special Considerations for Server-Sent
 * Events"): `data` is the frame's text; JSON payloads are described by `contentSchema`.
 */
export function eventSchema(event: ChannelEvent, message: JsonObject, idSchema: JsonObject): JsonObject {
  const data = event.rawData
    ? ref(event.schema)
    : { type: 'string', contentMediaType: 'application/json', contentSchema: ref(event.schema) };
  const name = event.unnamed
    ? 'An unnamed frame (no `event:` line; EventSource dispatches it as `message`)'
    : `\`event: ${event.event}\``;
  const summary = typeof message.summary === 'string' ? ` ${message.summary}` : '';
  return {
    title: eventSchemaName(event),
    description: `${name}.${summary} The server sends an \`id\` with every event.`,
    type: 'object',
    additionalProperties: false,
    required: event.unnamed ? ['data'] : ['event', 'data'],
    properties: {
      ...(event.unnamed ? {} : { event: { type: 'string', const: event.event } }),
      data,
      id: idSchema,
      retry: { type: 'integer', minimum: 0 },
    },
  };
}

/**
 * The item schema of a stream: one event schema per message of its channel. When the `event` field tells
 * every event apart (at most one unnamed), it is a discriminated `oneOf`; otherwise an `anyOf`.
 */
export function itemSchema(channel: ChannelModel, operationPath: string): JsonObject {
  const unnamed = channel.events.filter((event) => event.unnamed);
  const variants = channel.events.map((event) => ref(eventSchemaName(event)));
  const base = {
    title: itemSchemaName(channel),
    description: `One event of \`${operationPath}\` (AsyncAPI channel \`${channel.id}\`): ${channel.grammar.sequence}.`,
  };
  if (unnamed.length > 1) return { ...base, anyOf: variants };
  const mapping = Object.fromEntries(
    channel.events
      .filter((event) => !event.unnamed)
      .map((event) => [event.event, `${SCHEMAS}${eventSchemaName(event)}`]),
  );
  const defaultMapping = unnamed[0] ? { defaultMapping: `${SCHEMAS}${eventSchemaName(unnamed[0])}` } : {};
  return { ...base, oneOf: variants, discriminator: { propertyName: 'event', mapping, ...defaultMapping } };
}

/** The AsyncAPI message examples as OAS 3.2 Example Objects: the parsed item and its wire form. */
export function itemExamples(channel: ChannelModel, messages: JsonObject): JsonObject {
  const examples: JsonObject = {};
  for (const event of channel.events) {
    const message = asObject(messages[event.messageId]);
    for (const [index, raw] of (Array.isArray(message.examples) ? message.examples : []).entries()) {
      const example = asObject(raw);
      const data = event.rawData ? String(example.payload) : JSON.stringify(example.payload);
      const label = typeof example.name === 'string' ? example.name : String(index + 1);
      examples[`${event.event}-${label}`] = {
        summary: `${typeof message.title === 'string' ? message.title : event.event} (${label})`,
        dataValue: { ...(event.unnamed ? {} : { event: event.event }), data },
        serializedValue: `${event.unnamed ? '' : `event: ${event.event}\n`}data: ${data}\n\n`,
      };
    }
  }
  return examples;
}
