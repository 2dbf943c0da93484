import type { Db } from './Db.js';

/** One event to append: its name and its payload as JSON text. */
export interface EventDraft {
  event: string;
  data: string;
}

/** One event as the outbox holds it: its stream, its position in the stream (1, 2, …), name and JSON payload. */
export interface StoredEvent {
  topic: string;
  seq: number;
  event: string;
  data: string;
}

/** Where a stream stands: the newest position issued (0 when none) and the oldest one still held. */
export interface StreamBounds {
  head: number;
  /** Undefined when no event of the stream is held (none yet, or all pruned). */
  oldest: number | undefined;
}

/** The outbox: the events of every stream, written in the transaction of the change they report. */
export interface EventsRepository {
  /** The generation of this database's history (12 hex digits), fixed for its life. */
  generation(): Promise<string>;
  /**
   * Appends events to one stream inside the transaction `tx` and returns them with their positions. Call it
   * last in the transaction: the stream's counter row stays locked until COMMIT.
   */
  append(tx: Db, topic: string, drafts: readonly EventDraft[]): Promise<StoredEvent[]>;
  /**
   * {@link append} as the transaction's very last statement, sent with its COMMIT (`Db.queryLast`): the
   * counter row is then locked only while the server runs it and flushes the commit. Resolves to `undefined`
   * when the transaction committed but the connection dropped before the rows came back (the relay carries
   * those events).
   */
  appendAndCommit(tx: Db, topic: string, drafts: readonly EventDraft[]): Promise<StoredEvent[] | undefined>;
  /** Events of a stream after position `after`, up to `upTo` when given, oldest first, at most `limit`. */
  read(topic: string, after: number, options?: { upTo?: number; limit?: number }): Promise<StoredEvent[]>;
  bounds(topic: string): Promise<StreamBounds>;
  /** The head of each stream written within the last `seconds`. */
  recentHeads(seconds: number, topicPrefixes: readonly string[]): Promise<{ topic: string; head: number }[]>;
  /**
   * Deletes events older than `retentionSeconds`, and all but the newest `keepPerStream` of each stream.
   * Returns how many were deleted. The counters stay, so a position is never issued twice.
   */
  prune(options: { retentionSeconds: number; keepPerStream: number }): Promise<number>;
}

interface EventRow {
  topic: string;
  seq: string | number | bigint;
  event: string;
  data: string;
}

const toStored = (row: EventRow): StoredEvent => ({
  topic: row.topic,
  seq: Number(row.seq),
  event: row.event,
  data: row.data,
});

/** One event: no arrays to pass and unnest (about half the cost of APPEND on PGlite, measured). */
const APPEND_ONE = `WITH counter AS (
    INSERT INTO event_streams AS s (topic, head) VALUES ($1, 1)
    ON CONFLICT (topic) DO UPDATE SET head = s.head + 1, updated_at = clock_timestamp()
    RETURNING head
  )
  INSERT INTO events (topic, seq, event, data)
  SELECT $1, counter.head, $2, $3 FROM counter
  RETURNING seq`;

const APPEND = `WITH counter AS (
    INSERT INTO event_streams AS s (topic, head) VALUES ($1, $2)
    ON CONFLICT (topic) DO UPDATE SET head = s.head + $2, updated_at = clock_timestamp()
    RETURNING head
  )
  INSERT INTO events (topic, seq, event, data)
  SELECT $1, counter.head - $2 + d.ord, d.event, d.data
  FROM counter, unnest($3::text[], $4::text[]) WITH ORDINALITY AS d(event, data, ord)
  RETURNING seq`;

/**
 * Runs the append of `drafts` to `topic` with `run` (a query, or a last query that commits). Only the positions
 * come back (the drafts are what was written): on PGlite, reading each payload back cost a tenth of a write.
 */
async function appendWith(
  run: (sql: string, params: readonly unknown[]) => Promise<{ seq: string | number | bigint }[] | undefined>,
  topic: string,
  drafts: readonly EventDraft[],
): Promise<StoredEvent[] | undefined> {
  if (drafts.length === 0) return [];
  const [only] = drafts;
  const rows =
    drafts.length === 1 && only
      ? await run(APPEND_ONE, [topic, only.event, only.data])
      : await run(APPEND, [topic, drafts.length, drafts.map((d) => d.event), drafts.map((d) => d.data)]);
  if (rows === undefined) return undefined;
  // The positions are contiguous, in the order of the drafts.
  const first = Math.min(...rows.map((row) => Number(row.seq)));
  return drafts.map((draft, i) => ({ topic, seq: first + i, event: draft.event, data: draft.data }));
}

/** The outbox over a {@link Db}. */
export function createEventsRepository(db: Db): EventsRepository {
  let generation: Promise<string> | undefined;
  return {
    generation() {
      generation ??= db
        .query<{ generation: string }>('SELECT generation FROM event_history')
        .then(([row]) => {
          if (!row)
            throw new Error('event_history has no generation: the 003_event_log migration did not run');
          return row.generation;
        });
      generation.catch(() => {
        generation = undefined;
      });
      return generation;
    },

    append: (tx, topic, drafts) => appendWith(tx.query.bind(tx), topic, drafts) as Promise<StoredEvent[]>,
    appendAndCommit: (tx, topic, drafts) => appendWith(tx.queryLast.bind(tx), topic, drafts),

    async read(topic, after, { upTo, limit = 10_000 } = {}) {
      const rows = await db.query<EventRow>(
        `SELECT topic, seq, event, data FROM events
         WHERE topic = $1 AND seq > $2 AND ($3::bigint IS NULL OR seq <= $3) ORDER BY seq LIMIT $4`,
        [topic, after, upTo ?? null, limit],
      );
      return rows.map(toStored);
    },

    async bounds(topic) {
      const [row] = await db.query<{ head: string | number | null; oldest: string | number | null }>(
        `SELECT (SELECT head FROM event_streams WHERE topic = $1) AS head,
                (SELECT min(seq) FROM events WHERE topic = $1) AS oldest`,
        [topic],
      );
      return {
        head: row?.head == null ? 0 : Number(row.head),
        oldest: row?.oldest == null ? undefined : Number(row.oldest),
      };
    },

    async recentHeads(seconds, topicPrefixes) {
      const rows = await db.query<{ topic: string; head: string | number }>(
        `SELECT topic, head FROM event_streams
         WHERE updated_at > clock_timestamp() - $1 * interval '1 second'
           AND topic LIKE ANY ($2::text[])`,
        [seconds, topicPrefixes.map((prefix) => `${prefix.replaceAll(/[\\%_]/g, '\\$&')}%`)],
      );
      return rows.map((row) => ({ topic: row.topic, head: Number(row.head) }));
    },

    async prune({ retentionSeconds, keepPerStream }) {
      const rows = await db.query<{ n: string | number }>(
        `WITH gone AS (
           DELETE FROM events e USING event_streams s
           WHERE e.topic = s.topic
             AND (e.seq <= s.head - $2 OR e.committed_at < clock_timestamp() - $1 * interval '1 second')
           RETURNING 1
         ) SELECT count(*) AS n FROM gone`,
        [retentionSeconds, keepPerStream],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
