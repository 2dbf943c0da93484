import type { BundledSpec, JsonObject } from './bundle.js';
import type { SpecProblem } from './problems.js';

/** What a stream's frames may be, as declared by a channel's `x-sse-grammar`. */
export interface StreamGrammar {
  sequence: string;
  terminal: string[];
  repeatable: string[];
  nothingAfterTerminal: boolean;
}

export interface ChannelEvent {
  /** The message's `name`: the SSE event name, and the event's key in the event map. */
  event: string;
  messageId: string;
  /** The payload's schema name in components.schemas. */
  schema: string;
  /** Written without an `event:` line (clients dispatch it as `message`): named `message` or `x-sse-unnamed`. */
  unnamed: boolean;
  /** The payload is a string written as is as `data:` instead of JSON (`x-sse-raw-data`). */
  rawData: boolean;
}

export interface ChannelModel {
  id: string;
  address: string;
  title: string;
  /** The HTTP method of the channel's `send` operation (`GET` unless its http binding says otherwise). */
  method: string;
  parameters: string[];
  events: ChannelEvent[];
  grammar: StreamGrammar;
}

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const lastSegment = (ref: unknown): string => (typeof ref === 'string' ? (ref.split('/').pop() ?? '') : '');

// [spec] "If the event type buffer has a value other than the empty string, change the type of the newly
// created event to equal the value of the event type buffer" — an unnamed frame is dispatched as `message`.
const UNNAMED_EVENT = 'message';

type Report = (pointer: string, message: string) => void;

/** Reads `x-sse-unnamed` / `x-sse-raw-data` of a message: absent means false, anything but a boolean is a problem. */
function flag(message: JsonObject, key: string, pointer: string, report: Report): boolean {
  const value = message[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') report(`${pointer}/${key}`, `${key} must be true or false`);
  return value === true;
}

/**
 * Unnamed frames all reach a client as `message`, so it can only tell them apart by their data: a raw-data
 * event's payload must be a string schema with a fixed value (`enum` or `const`), and at most one unnamed
 * event of a channel may carry JSON.
 */
function checkUnnamed(
  events: readonly ChannelEvent[],
  schemas: JsonObject,
  pointer: string,
  report: Report,
): void {
  for (const event of events.filter((known) => known.rawData)) {
    const schema = asObject(schemas[event.schema]);
    if (schema.type !== 'string')
      report(`/components/messages/${event.messageId}/payload`, 'an x-sse-raw-data payload must be a string');
    else if (events.filter((known) => known.unnamed).length > 1 && !schema.enum && schema.const === undefined)
      report(
        `/components/messages/${event.messageId}/payload`,
        'an unnamed x-sse-raw-data payload needs an enum or const, so clients can tell it from the other unnamed events',
      );
  }
  if (events.filter((known) => known.unnamed && !known.rawData).length > 1)
    report(`${pointer}/messages`, 'at most one unnamed event may carry JSON: clients cannot tell two apart');
}

/** The http binding method of the `send` operation on a channel; `GET` when none is declared. */
function methodOf(doc: JsonObject, channelId: string): string {
  for (const raw of Object.values(asObject(doc.operations))) {
    const operation = asObject(raw);
    if (lastSegment(asObject(operation.channel).$ref) !== channelId) continue;
    const method = asObject(asObject(operation.bindings).http).method;
    if (typeof method === 'string') return method.toUpperCase();
  }
  return 'GET';
}

/** Reads the channels of a bundled AsyncAPI document and checks the rules codegen relies on. */
export function readChannels(spec: BundledSpec): { channels: ChannelModel[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const report = (pointer: string, message: string) =>
    problems.push({ file: 'spec/asyncapi.yaml', pointer, message });
  const messages = asObject(asObject(spec.doc.components).messages);
  const schemas = asObject(asObject(spec.doc.components).schemas);
  const channels: ChannelModel[] = [];

  for (const [id, raw] of Object.entries(asObject(spec.doc.channels))) {
    const channel = asObject(raw);
    const pointer = `/channels/${id}`;
    const events: ChannelEvent[] = [];
    for (const [key, ref] of Object.entries(asObject(channel.messages))) {
      const messageId = lastSegment(asObject(ref).$ref);
      const message = asObject(messages[messageId]);
      const event = typeof message.name === 'string' ? message.name : '';
      const schema = lastSegment(asObject(message.payload).$ref);
      if (!event)
        report(`/components/messages/${messageId}/name`, 'a message needs a name: the SSE event name');
      if (!schema)
        report(`/components/messages/${messageId}/payload`, 'the payload must $ref a schema in spec/schemas');
      if (!Array.isArray(message.examples) || message.examples.length === 0) {
        report(`/components/messages/${messageId}/examples`, 'a message needs at least one example');
      }
      if (events.some((known) => known.event === event))
        report(`${pointer}/messages/${key}`, `two messages named "${event}"`);
      const at = `/components/messages/${messageId}`;
      const unnamed = flag(message, 'x-sse-unnamed', at, report) || event === UNNAMED_EVENT;
      const rawData = flag(message, 'x-sse-raw-data', at, report);
      events.push({ event, messageId, schema, unnamed, rawData });
    }
    checkUnnamed(events, schemas, pointer, report);
    const grammarRaw = asObject(channel['x-sse-grammar']);
    const grammar: StreamGrammar = {
      sequence: typeof grammarRaw.sequence === 'string' ? grammarRaw.sequence : '',
      terminal: asStrings(grammarRaw.terminal),
      repeatable: asStrings(grammarRaw.repeatable),
      nothingAfterTerminal: grammarRaw.nothingAfterTerminal === true,
    };
    if (!grammar.nothingAfterTerminal)
      report(`${pointer}/x-sse-grammar`, 'declare nothingAfterTerminal: true');
    for (const name of [...grammar.terminal, ...grammar.repeatable]) {
      if (!events.some((known) => known.event === name)) {
        report(`${pointer}/x-sse-grammar`, `"${name}" is not the name of a message of this channel`);
      }
    }
    if (!events.some((known) => known.event === 'stream-error'))
      report(`${pointer}/messages`, 'every channel declares stream-error');
    channels.push({
      id,
      address: typeof channel.address === 'string' ? channel.address : '',
      title: typeof channel.title === 'string' ? channel.title : id,
      method: methodOf(spec.doc, id),
      parameters: Object.keys(asObject(channel.parameters)),
      events,
      grammar,
    });
  }
  return { channels, problems };
}
