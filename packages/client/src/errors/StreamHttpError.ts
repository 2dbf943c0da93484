import type { ChannelId } from '../../../../generated/events.js';
import type { Problem } from '../restTypes.js';
import { ClientError } from './ClientError.js';

/**
 * Thrown by a subscription's iterator when the server answers a stream request with a status other than
 * 200 or 204, or with a content type other than `text/event-stream`. As with EventSource, the client does
 * not reconnect: bad input (`400`) or an unknown resource (`404`) would be refused again.
 * `problem` is the RFC 9457 body, or one made from the status when the server sent none.
 */
export class StreamHttpError extends ClientError {
  override readonly name = 'StreamHttpError';
  readonly channel: ChannelId;
  readonly status: number;
  readonly problem: Problem;

  constructor(channel: ChannelId, status: number, problem: Problem) {
    const detail = problem.detail ? `: ${problem.detail}` : '';
    super('stream_http_error', `Stream ${channel} was refused with ${status} ${problem.title}${detail}`);
    this.channel = channel;
    this.status = status;
    this.problem = problem;
  }
}
