import { channels } from '../../../generated/channels.js';
import { buildUrl } from './buildUrl.js';
import type { ChannelParams, SubscribableChannel } from './channelTypes.js';

/** The URL of a channel: its AsyncAPI address with the path parameters filled, the rest as the query. */
export function channelUrl<C extends SubscribableChannel>(
  baseUrl: string,
  channel: C,
  params: ChannelParams<C>,
): string {
  const pathNames: readonly string[] = channels[channel].parameters;
  const entries = Object.entries(params);
  const path = Object.fromEntries(entries.filter(([name]) => pathNames.includes(name)));
  const query = Object.fromEntries(entries.filter(([name]) => !pathNames.includes(name)));
  return buildUrl(baseUrl, channels[channel].address, path, query);
}
