import type { ChannelId } from '../../../../generated/events.js';
import type { ValidationError } from '../../../../generated/validators/schemas.js';
import { ClientError } from './ClientError.js';

/**
 * What was wrong with a frame: its event name is not declared on the channel, its data is not JSON,
 * or the JSON does not match the event's AsyncAPI payload schema.
 */
export type InvalidFrameReason = 'undeclared_event' | 'invalid_json' | 'schema_mismatch';

/** Where a rejected frame came from and why it was rejected. */
export interface InvalidFrameDetails {
  readonly channel: ChannelId;
  readonly event: string;
  /** The frame's `id:`, or the last id received before it (`''` if none). */
  readonly id: string;
  readonly reason: InvalidFrameReason;
  /** The raw `data:` text as received. */
  readonly data: string;
  /** The Ajv errors for `schema_mismatch`; empty otherwise. */
  readonly errors: readonly ValidationError[];
}

/**
 * Thrown by a subscription's iterator when the server sent a frame that breaks the contract in
 * `spec/asyncapi.yaml`; the stream is closed and not resumed, since the same frame would come again.
 */
export class InvalidFrameError extends ClientError implements InvalidFrameDetails {
  override readonly name = 'InvalidFrameError';
  readonly channel: ChannelId;
  readonly event: string;
  readonly id: string;
  readonly reason: InvalidFrameReason;
  readonly data: string;
  readonly errors: readonly ValidationError[];

  constructor(details: InvalidFrameDetails, options?: ErrorOptions) {
    super('invalid_frame', describe(details), options);
    this.channel = details.channel;
    this.event = details.event;
    this.id = details.id;
    this.reason = details.reason;
    this.data = details.data;
    this.errors = details.errors;
  }
}

function describe({ channel, event, id, reason, errors }: InvalidFrameDetails): string {
  const where = `Frame ${JSON.stringify(id)} (event ${JSON.stringify(event)}) on channel ${channel}`;
  if (reason === 'undeclared_event')
    return `${where} is not declared in spec/asyncapi.yaml; regenerate the client if the contract changed.`;
  if (reason === 'invalid_json') return `${where} does not carry JSON data.`;
  const problems = errors.map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
  return `${where} does not match its payload schema: ${problems.join('; ')}.`;
}
