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
  /** The SSE event name; `message` is written as an unnamed frame. */
  event: string;
  messageId: string;
  /** The payload's schema name in components.schemas. */
  schema: string;
}

export interface ChannelModel {
  id: string;
  address: string;
  title: string;
  parameters: string[];
  events: ChannelEvent[];
  grammar: StreamGrammar;
}

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const lastSegment = (ref: unknown): string => (typeof ref === 'string' ? (ref.split('/').pop() ?? '') : '');

/** Reads the channels of a bundled AsyncAPI document and checks the rules codegen relies on. */
export function readChannels(spec: BundledSpec): { channels: ChannelModel[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const report = (pointer: string, message: string) =>
    problems.push({ file: 'spec/asyncapi.yaml', pointer, message });
  const messages = asObject(asObject(spec.doc.components).messages);
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
      events.push({ event, messageId, schema });
    }
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
      parameters: Object.keys(asObject(channel.parameters)),
      events,
      grammar,
    });
  }
  return { channels, problems };
}
