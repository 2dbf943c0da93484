import type { Context } from 'koa';
import { resolveLastEventId } from '../../sse/index.js';
import { HttpProblem, ValidationProblem } from '../errors/index.js';
import { headerValues } from '../request/headerValues.js';

/**
 * Checks what every stream request shares and returns its resume cursor: the client must accept
 * `text/event-stream` (406 otherwise), and Last-Event-ID (header, else the `lastEventId` query parameter)
 * must be a valid id (400 otherwise).
 */
export function streamRequest(
  ctx: Context,
  queryLastEventId: string | undefined,
): { resumeId: string | undefined } {
  if (!ctx.accepts('text/event-stream')) {
    throw new HttpProblem(
      'not_acceptable',
      406,
      'Not acceptable',
      'This path answers text/event-stream only.',
    );
  }
  const header = headerValues(ctx.req, 'last-event-id');
  const resolved = resolveLastEventId(header, queryLastEventId);
  if (!resolved.ok) {
    const location = header === undefined ? 'query' : 'header';
    const pointer = location === 'query' ? '/lastEventId' : '/Last-Event-ID';
    throw new ValidationProblem([{ in: location, pointer, message: resolved.detail.slice(0, 500) }]);
  }
  return { resumeId: resolved.id };
}
