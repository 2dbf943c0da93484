import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Published } from './faultDatabase.js';
import type { Subscriber } from './Subscriber.js';

/** An inventory event id: `<generation>.<seq>` (EVENT-LOG contract). */
const EVENT_ID = /^([0-9a-f]{12})\.(0|[1-9][0-9]*)$/;

const DATA_EVENTS = new Set(['stock-change', 'price-change']);

/** What one subscriber got of what was published, as the suite counts it. */
export interface Tally {
  /** Events published after the subscriber's start (its window). */
  published: number;
  /** Distinct events of the window it received. */
  received: number;
  /** Events of the window it never received and no `reset` announced. */
  lost: number;
  /** Frames of an event it had already received, or from before its start. */
  dup: number;
  /** Frames that came after a later event (each counted once). */
  ooo: number;
  resets: number;
  /** Events of the window it did not receive because a `reset` said so. */
  excused: number;
  /** Frames whose id, name or data match no committed event (of this history). */
  mismatched: number;
  /** The longest time from an event's commit to its arrival here, in ms (a silent stall shows here). */
  maxDelayMs: number;
  /** The seqs lost, for the failure message. */
  lostSeqs: number[];
}

function parseId(id: string | undefined): { generation: string; seq: number } | undefined {
  const match = id === undefined ? null : EVENT_ID.exec(id);
  return match ? { generation: match[1]!, seq: Number(match[2]) } : undefined;
}

function sameData(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false; // not JSON: the strings differ
  }
}

/** The seqs of `history` that a reset excuses: those after where it resumed, up to the reset's head. */
function excusedByResets(subscriber: Subscriber, history: string): (seq: number) => boolean {
  const ranges = subscriber.resets.flatMap((reset) => {
    const at = parseId(reset.id);
    if (at?.generation !== history) return [];
    const from = parseId(reset.resumedFrom);
    return [{ after: from?.generation === history ? from.seq : 0, upTo: at.seq }];
  });
  return (seq) => ranges.some((range) => seq > range.after && seq <= range.upTo);
}

/** Counts what `subscriber` received against what the database says was published. */
export function tally(published: Published, subscriber: Subscriber): Tally {
  const history = published.generation;
  const start = parseId(subscriber.startId);
  const after = start?.generation === history ? start.seq : 0;
  const bySeq = new Map(published.events.map((event) => [event.seq, event]));
  const window = published.events.filter((event) => event.seq > after);
  const times = new Map<number, number>();
  let dup = 0;
  let ooo = 0;
  let mismatched = 0;
  let newest = 0;
  let maxDelayMs = 0;
  for (const frame of subscriber.frames) {
    if (!DATA_EVENTS.has(frame.event)) continue;
    const id = parseId(frame.id);
    const committed = id?.generation === history ? bySeq.get(id.seq) : undefined;
    if (!id || !committed || committed.event !== frame.event || !sameData(committed.data, frame.data)) {
      mismatched++;
      continue;
    }
    if (id.seq > after) maxDelayMs = Math.max(maxDelayMs, frame.at - committed.committedAt);
    const seen = times.get(id.seq) ?? 0;
    times.set(id.seq, seen + 1);
    if (seen > 0 || id.seq <= after) dup++;
    else if (id.seq < newest) ooo++;
    newest = Math.max(newest, id.seq);
  }
  const excused = excusedByResets(subscriber, history);
  const missing = window.filter((event) => !times.has(event.seq));
  const lostSeqs = missing.filter((event) => !excused(event.seq)).map((event) => event.seq);
  return {
    published: window.length,
    received: window.length - missing.length,
    lost: lostSeqs.length,
    dup,
    ooo,
    resets: subscriber.resets.length,
    excused: missing.length - lostSeqs.length,
    mismatched,
    maxDelayMs: Math.round(maxDelayMs),
    lostSeqs,
  };
}

/** Where the count lines are also written, for CI's summary. */
const REPORT = path.resolve(import.meta.dirname, '../../../test-artifacts/faults.txt');

/** Prints a line of the suite's report (`[faults] <scenario> <text>`), and keeps it for CI's summary. */
export function note(scenario: string, text: string): void {
  const line = `[faults] ${scenario} ${text}`;
  console.log(line);
  mkdirSync(path.dirname(REPORT), { recursive: true });
  appendFileSync(REPORT, `${line}\n`);
}

/** Prints (and keeps) one line of counts for one subscriber of a scenario. */
export function report(scenario: string, subscriber: Subscriber, counts: Tally): void {
  note(
    scenario,
    `sub=${subscriber.name} published=${counts.published} received=${counts.received} ` +
      `lost=${counts.lost} dup=${counts.dup} ooo=${counts.ooo} resets=${counts.resets} ` +
      `excused=${counts.excused} mismatched=${counts.mismatched} connections=${subscriber.connections} ` +
      `stream-errors=${subscriber.streamErrors.length} max-delay-ms=${counts.maxDelayMs}`,
  );
}
