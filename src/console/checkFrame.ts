import type { ChannelId } from '@petstore-sse/client';
import { channels, eventValidators } from '../../generated/channels.js';
import type { ValidateFunction } from '../../generated/validators/schemas.js';

/** A frame's verdict: valid against its event's payload schema, or why not (one line per Ajv error). */
export type FrameCheck =
  | { readonly valid: true; readonly schema: string }
  | { readonly valid: false; readonly schema: string | undefined; readonly errors: readonly string[] };

/**
 * Checks the data of one `event` of `channel` with the validator generated from its AsyncAPI payload
 * schema (`generated/channels.ts`, the same validators the server runs before it writes a frame). An event
 * the channel does not declare is invalid.
 */
export function checkFrame(channel: ChannelId, event: string, data: unknown): FrameCheck {
  const validators: Readonly<Record<string, ValidateFunction>> = eventValidators[channel];
  const messages: Readonly<Record<string, { readonly schema: string }>> = channels[channel].messages;
  const validate = Object.hasOwn(validators, event) ? validators[event] : undefined;
  const schema = Object.hasOwn(messages, event) ? messages[event]?.schema : undefined;
  if (validate === undefined || schema === undefined)
    return { valid: false, schema: undefined, errors: [`${channel} declares no event "${event}"`] };
  if (validate(data)) return { valid: true, schema };
  const errors = (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`,
  );
  return { valid: false, schema, errors };
}
