import { BANNER } from './banner.js';
import type { ChannelModel } from './channelModel.js';

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
const quote = (value: string): string => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const list = (values: readonly string[]): string => `[${values.map(quote).join(', ')}]`;
const code = (values: readonly string[]): string => values.map((value) => `\`${value}\``).join(', ');

/** What the wire looks like for the channel's unusual events, for the event map's comment. */
function wireNote(channel: ChannelModel): string {
  const unnamed = channel.events.filter((event) => event.unnamed).map((event) => event.event);
  const raw = channel.events.filter((event) => event.rawData).map((event) => event.event);
  const notes = [
    unnamed.length > 0 ? `unnamed frames (no \`event:\` line): ${code(unnamed)}` : 'every frame is named',
    ...(raw.length > 0 ? [`data written as is, not JSON: ${code(raw)}`] : []),
  ];
  return notes.join('; ');
}

/** `generated/events.ts`: one event map per channel (event name → payload model) and the map of maps. */
export function generateEventMaps(channels: readonly ChannelModel[]): string {
  const models = [
    ...new Set(channels.flatMap((channel) => channel.events.map((event) => event.schema))),
  ].sort();
  const lines = [BANNER, '', `import type { ${models.join(', ')} } from './models.js';`, ''];
  for (const channel of channels) {
    lines.push(`/** Events of \`${channel.address}\`; ${wireNote(channel)}. */`);
    lines.push(`export type ${pascal(channel.id)}Events = {`);
    for (const event of channel.events) lines.push(`  ${key(event.event)}: ${event.schema};`);
    lines.push('};', '');
  }
  lines.push('/** Every channel id and its event map. */', 'export type ChannelEvents = {');
  for (const channel of channels) lines.push(`  ${channel.id}: ${pascal(channel.id)}Events;`);
  lines.push('};', '', 'export type ChannelId = keyof ChannelEvents;', '');
  return lines.join('\n');
}

/** `generated/channels.ts`: channel metadata and the payload validator of each event. */
export function generateChannels(channels: readonly ChannelModel[]): string {
  const lines = [
    BANNER,
    '',
    "import type { ChannelEvents, ChannelId } from './events.js';",
    "import * as schemas from './validators/schemas.js';",
    "import type { ValidateFunction } from './validators/schemas.js';",
    '',
    '/**',
    ' * What codegen read from each AsyncAPI channel: path, HTTP method, parameters, events, how unusual events are',
    ' * written (`unnamedEvents`: no `event:` line; `rawDataEvents`: a string payload as is, not JSON) and the grammar.',
    ' */',
    'export const channels = {',
  ];
  for (const channel of channels) {
    lines.push(
      `  ${channel.id}: {`,
      `    id: ${quote(channel.id)},`,
      `    address: ${quote(channel.address)},`,
      `    title: ${quote(channel.title)},`,
      `    method: ${quote(channel.method)},`,
      `    parameters: ${list(channel.parameters)},`,
      `    events: ${list(channel.events.map((event) => event.event))},`,
      `    unnamedEvents: ${list(channel.events.filter((event) => event.unnamed).map((event) => event.event))},`,
      `    rawDataEvents: ${list(channel.events.filter((event) => event.rawData).map((event) => event.event))},`,
      '    messages: {',
      ...channel.events.map(
        (event) =>
          `      ${key(event.event)}: { messageId: ${quote(event.messageId)}, schema: ${quote(event.schema)} },`,
      ),
      '    },',
      '    grammar: {',
      `      sequence: ${quote(channel.grammar.sequence)},`,
      `      terminal: ${list(channel.grammar.terminal)},`,
      `      repeatable: ${list(channel.grammar.repeatable)},`,
      `      nothingAfterTerminal: ${channel.grammar.nothingAfterTerminal},`,
      '    },',
      '  },',
    );
  }
  lines.push(
    '} as const;',
    '',
    '/** The payload validator of every event, by channel and event name. */',
    'export const eventValidators: { readonly [C in ChannelId]: { readonly [K in keyof ChannelEvents[C]]: ValidateFunction } } = {',
  );
  for (const channel of channels) {
    lines.push(`  ${channel.id}: {`);
    for (const event of channel.events) lines.push(`    ${key(event.event)}: schemas.${event.schema},`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}
