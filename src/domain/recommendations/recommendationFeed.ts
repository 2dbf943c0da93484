import type { RecommendationsStreamEvents } from '../../../generated/events.js';
import type { Recommendation } from '../../../generated/models.js';
import type { LogEntry } from '../../bus/index.js';
import type { StreamMessage } from '../../sse/index.js';
import { uuidv7 } from '../../store/index.js';
import {
  decideResume,
  type EventLog,
  type Publication,
  type RecommendationRunEvents,
  type ResumeCursor,
  recommendationRunTopic,
  resetMessage,
} from '../events/index.js';
import type { Recommender, User } from './Recommender.js';

type RecommendationMessage = StreamMessage<RecommendationsStreamEvents>;
/** Finished (answer 204), or the messages and how they start: `live`, `replayed` after the id, or `reset`. */
export type RecommendationFeed =
  | { kind: 'finished' }
  | { kind: 'stream'; resume: 'live' | 'replayed' | 'reset'; messages: AsyncIterable<RecommendationMessage> };

const RUN_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.(0|[1-9][0-9]{0,2}|complete)$/;

type RunStart = RecommendationRunEvents['start'];

/** A run as the log holds it: who it was for, what was sent, whether it completed. */
interface StoredRun {
  start: RunStart;
  sent: Recommendation[];
  complete: boolean;
}

function storedRun(entries: readonly LogEntry[]): StoredRun | undefined {
  const [first, ...rest] = entries;
  if (first?.event !== 'start') return undefined;
  return {
    start: first.data as RunStart,
    sent: rest
      .filter((entry) => entry.event === 'recommendation')
      .map((entry) => entry.data as Recommendation),
    complete: rest.some((entry) => entry.event === 'complete'),
  };
}

export interface RecommendationFeedDeps {
  eventLog: EventLog;
  recommender: Recommender;
}

export interface RecommendationFeedOptions {
  user: User;
  limit: number;
  /** The client's Last-Event-ID, if it resumes. */
  resumeId: string | undefined;
  /** When the request arrived (performance.now()), for `processingTime`. */
  startedAt: number;
  signal: AbortSignal;
}

/** Keeps one event of a run in the database, so a resumed stream continues the run. */
function keep(log: EventLog, runId: string, message: Publication<RecommendationRunEvents>): Promise<void> {
  return log.write(async (_tx, publish) => publish(recommendationRunTopic(runId), message));
}

async function* run(
  deps: RecommendationFeedDeps,
  options: RecommendationFeedOptions,
  runId: string,
  stored: StoredRun,
  after: number,
  reset?: RecommendationMessage,
): AsyncGenerator<RecommendationMessage> {
  if (reset) yield reset;
  for (const [index, data] of stored.sent.entries()) {
    if (index + 1 > after) yield { event: 'recommendation', id: `${runId}.${index + 1}`, data };
  }
  let total = stored.sent.length;
  if (!stored.complete) {
    const request = {
      user: options.user,
      limit: stored.start.limit - total,
      exclude: new Set(stored.sent.map((r) => r.petId)),
      signal: options.signal,
    };
    for await (const recommendation of deps.recommender.recommend(request)) {
      total += 1;
      await keep(deps.eventLog, runId, { event: 'recommendation', data: recommendation });
      yield { event: 'recommendation', id: `${runId}.${total}`, data: recommendation };
    }
    if (options.signal.aborted) return;
    await keep(deps.eventLog, runId, { event: 'complete', data: { total } });
  }
  const processingTime = Math.round((performance.now() - options.startedAt) * 100) / 100;
  yield { event: 'complete', id: `${runId}.complete`, data: { total, processingTime } };
}

/**
 * Opens a user's recommendation stream. A new run gets a UUIDv7 `runId`; its events have ids
 * `<runId>.<n>` and `<runId>.complete`, and each recommendation is kept in the event log (the database) as it
 * is sent, so a resume continues the same run after recommendation n (without repeating a pet), on any
 * instance and after a restart. Resuming after `complete` is `finished` (answer 204). An id that is not a run
 * of this user, or no longer held, gets `reset`, then a new run.
 */
export async function openRecommendationFeed(
  deps: RecommendationFeedDeps,
  options: RecommendationFeedOptions,
): Promise<RecommendationFeed> {
  const { resumeId } = options;
  const match = resumeId === undefined ? null : RUN_ID.exec(resumeId);
  if (match) {
    const [, runId, position] = match as unknown as [string, string, string];
    const stored = storedRun(await deps.eventLog.read(recommendationRunTopic(runId), 0));
    if (stored && stored.start.userId === options.user.id) {
      const cursor: ResumeCursor =
        position === 'complete'
          ? { history: runId, position: 0, atEnd: true }
          : { history: runId, position: Number(position) };
      const decision = decideResume(resumeId, cursor, {
        history: runId,
        head: stored.sent.length,
        oldest: 1,
        finished: stored.complete,
      });
      if (decision.kind === 'finished') return { kind: 'finished' };
      if (decision.kind === 'replay')
        return {
          kind: 'stream',
          resume: 'replayed',
          messages: run(deps, options, runId, stored, decision.after),
        };
    }
  }
  const runId = uuidv7();
  const start: RunStart = { userId: options.user.id, limit: options.limit };
  await keep(deps.eventLog, runId, { event: 'start', data: start });
  const reset =
    resumeId === undefined
      ? undefined
      : resetMessage('unknown_id', resumeId, `${runId}.0`, 'A new recommendation run follows.');
  return {
    kind: 'stream',
    resume: reset ? 'reset' : 'live',
    messages: run(deps, options, runId, { start, sent: [], complete: false }, 0, reset),
  };
}
