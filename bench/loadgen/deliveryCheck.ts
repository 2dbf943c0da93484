import type { InventoryWatcher, ReceivedEvent } from './InventoryWatcher.js';

/** What one subscriber got of one phase, checked against the writes answered 2xx. */
export interface Delivery {
  subscriber: string;
  /** Expected events received (each counted once). */
  received: number;
  /** Expected events never received. */
  lost: number;
  /** Events received again (same change or same id). */
  duplicated: number;
  /**
   * An id not above the one before it; an event received before the change it follows on the same pet
   * (its `oldStock` is the `newStock` of a change this subscriber got later); or an id that carries another
   * event at another subscriber.
   */
  outOfOrder: number;
  /** `<gen>.<seq>` ids only: jumps of the sequence number by more than one (the contract: contiguous). */
  idGaps: number;
  /** Events no 2xx write of the phase accounts for (an answer that was not 2xx but committed, or a stray). */
  unexpected: number;
  /** Events whose `timestamp` is earlier than the one of the event before them (not an error of delivery). */
  timestampsBack: number;
  /** Frames other than inventory events (`reset`, `stream-error`, …). */
  otherFrames: string[];
  /** The event's `timestamp` (taken by the server before it commits) → receipt, ms, per expected event. */
  latenciesMs: number[];
  /** The write's 2xx answer at the load generator (after the commit) → receipt, ms: negative when the event came first. */
  afterAnswerMs: number[];
  /** When the last expected event arrived. */
  lastAt: number;
}

/** Position of an id in its history: `[gen, seq]` for `<gen>.<seq>`, `[ms, seq]` for a Redis `<ms>-<seq>`. */
export function idPosition(
  id: string,
): { history: string; parts: number[]; contiguous: boolean } | undefined {
  const durable = /^([0-9a-f]{12})\.(\d+)$/.exec(id);
  if (durable) return { history: durable[1]!, parts: [Number(durable[2])], contiguous: true };
  const redis = /^(\d+)-(\d+)$/.exec(id);
  if (redis) return { history: '', parts: [Number(redis[1]), Number(redis[2])], contiguous: false };
  if (/^\d+$/.test(id)) return { history: '', parts: [Number(id)], contiguous: true };
  return undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Checks the events from index `from` on (the phase's part of a subscriber's stream) against
 * `expected`, the keys of the phase's 2xx writes with the time each answer arrived. `idOwners` maps each id seen at any subscriber to its key.
 */
export function checkDelivery(
  watcher: Pick<InventoryWatcher, 'name' | 'events' | 'firstIndex' | 'others' | 'startId'>,
  from: number,
  expected: ReadonlyMap<string, number>,
  idOwners: Map<string, string>,
): Delivery {
  const events = watcher.events.slice(from);
  // Before the first event: the id-only block the stream opened with (its head), so a first event that is not
  // head + 1 is a gap too.
  let previous: Pick<ReceivedEvent, 'id'> | undefined =
    watcher.events[from - 1] ?? (watcher.startId === undefined ? undefined : { id: watcher.startId });
  const seenKeys = new Set<string>();
  const seenIds = new Set(watcher.events.slice(0, from).map((event) => event.id));
  const delivery: Delivery = {
    subscriber: watcher.name,
    received: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    idGaps: 0,
    unexpected: 0,
    timestampsBack: 0,
    otherFrames: [...watcher.others],
    latenciesMs: [],
    afterAnswerMs: [],
    lastAt: 0,
  };
  events.forEach((event, offset) => {
    const index = from + offset;
    const repeated = seenIds.has(event.id) || watcher.firstIndex.get(event.key) !== index;
    seenIds.add(event.id);
    if (repeated) delivery.duplicated++;
    else if (!expected.has(event.key)) delivery.unexpected++;
    else {
      seenKeys.add(event.key);
      delivery.received++;
      delivery.latenciesMs.push(event.receivedAt - event.timestampMs);
      delivery.afterAnswerMs.push(event.receivedAt - expected.get(event.key)!);
      delivery.lastAt = Math.max(delivery.lastAt, event.receivedAt);
    }
    const owner = idOwners.get(event.id);
    if (owner === undefined) idOwners.set(event.id, event.key);
    const misplaced =
      (owner !== undefined && owner !== event.key) ||
      (event.follows !== undefined && (watcher.firstIndex.get(event.follows) ?? -1) > index);
    const position = idPosition(event.id);
    const last = previous ? idPosition(previous.id) : undefined;
    if (position && last && last.history === position.history) {
      const step = compare(position.parts, last.parts);
      if (step <= 0 && !repeated) delivery.outOfOrder++;
      else if (misplaced) delivery.outOfOrder++;
      else if (position.contiguous && step > 1) delivery.idGaps++;
    } else if (misplaced || (position && last)) delivery.outOfOrder++;
    const before = offset > 0 ? events[offset - 1] : watcher.events[from - 1];
    if (before && event.timestampMs < before.timestampMs) delivery.timestampsBack++;
    previous = event;
  });
  delivery.lost = [...expected.keys()].filter((key) => !seenKeys.has(key)).length;
  return delivery;
}
