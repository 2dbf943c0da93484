import type { StreamReset } from '../../../generated/models.js';

/** Why a resume cannot replay what the client missed. */
export type ResetReason = StreamReset['reason'];

/** Where a client asks to resume, read from its Last-Event-ID by the feed that issued the id. */
export interface ResumeCursor {
  /** The history the id belongs to (a database generation, a recommendation run); undefined when ids have none. */
  readonly history?: string | undefined;
  /** The position after which to resume. */
  readonly position: number;
  /** The id of the stream's last event (e.g. `<run>.complete`): resuming after it is only valid once finished. */
  readonly atEnd?: boolean | undefined;
}

/** What a stream's history holds now. */
export interface HistoryState {
  /** The history this server has (undefined when ids carry none). */
  readonly history?: string | undefined;
  /** The newest position (0 when nothing happened yet). */
  readonly head: number;
  /** The oldest position still held (undefined when none is). */
  readonly oldest: number | undefined;
  /** The stream has ended for good (its last event was sent): a client at its end gets `204`. */
  readonly finished?: boolean | undefined;
}

/** How a stream request is answered. */
export type ResumeDecision =
  /** No resume id: live from the head. */
  | { readonly kind: 'live'; readonly after: number }
  /** Replay the events after `after` (maybe none), then live. */
  | { readonly kind: 'replay'; readonly after: number }
  /** The missed events cannot be replayed: a `reset` frame, then live from the head. */
  | { readonly kind: 'reset'; readonly reason: ResetReason; readonly after: number }
  /** The client has every event of a stream that ended: `204 No Content`. */
  | { readonly kind: 'finished' };

/**
 * The one place that decides how a stream request is answered, for every channel: `resumeId` is the client's
 * Last-Event-ID (undefined for none), `cursor` what its feed read from it (undefined when it is not an id the
 * feed issues), `state` what the history holds now.
 */
export function decideResume(
  resumeId: string | undefined,
  cursor: ResumeCursor | undefined,
  state: HistoryState,
): ResumeDecision {
  const head = state.head;
  if (resumeId === undefined) return { kind: 'live', after: head };
  if (cursor === undefined) return { kind: 'reset', reason: 'unknown_id', after: head };
  if (cursor.history !== state.history) return { kind: 'reset', reason: 'other_generation', after: head };
  if (cursor.atEnd)
    return state.finished ? { kind: 'finished' } : { kind: 'reset', reason: 'unknown_id', after: head };
  if (cursor.position > head) return { kind: 'reset', reason: 'unknown_id', after: head };
  if (cursor.position === head)
    return state.finished ? { kind: 'finished' } : { kind: 'replay', after: head };
  if (state.oldest === undefined || state.oldest > cursor.position + 1)
    return { kind: 'reset', reason: 'expired_id', after: head };
  return { kind: 'replay', after: cursor.position };
}

/** How a decision is counted among a channel's resumes (`live` for a request that did not resume). */
export function resumeOutcome<D extends ResumeDecision>(
  decision: D,
): D extends { kind: 'finished' } ? 'finished' : 'live' | 'replayed' | 'reset' {
  return (decision.kind === 'replay' ? 'replayed' : decision.kind) as never;
}

const REASONS: Record<ResetReason, (resumeId: string) => string> = {
  unknown_id: (id) => `No event ${id} was ever sent on this stream.`,
  expired_id: (id) => `Events after ${id} are no longer held.`,
  other_generation: (id) => `${id} belongs to another history of this stream (its data was recreated).`,
};

/**
 * The one `reset` frame of every channel: why, the id the client sent, and what follows (`then`, e.g.
 * "refetch GET /v1/inventory, then follow the live events"), at `id`.
 */
export function resetMessage(
  reason: ResetReason,
  resumeId: string,
  id: string,
  then: string,
): { event: 'reset'; id: string; data: StreamReset } {
  const detail = `${REASONS[reason](resumeId.slice(0, 128))} ${then}`.slice(0, 500);
  return { event: 'reset', id, data: { reason, lastEventId: resumeId.slice(0, 128), detail } };
}
