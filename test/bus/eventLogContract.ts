import { describe, expect, it } from 'vitest';
import type { EventLog, LogEntry } from '../../src/bus/index.js';
import { until } from '../helpers/startApp.js';

/** Reads `count` entries from an iterable, then stops it. */
export async function take(entries: AsyncIterable<LogEntry>, count: number): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  if (count === 0) return out;
  for await (const entry of entries) {
    out.push(entry);
    if (out.length === count) break;
  }
  return out;
}

/**
 * The behaviour every EventLog adapter must have. `open(capacity)` returns a fresh log whose topics keep
 * about `capacity` entries; each test uses its own topic name.
 */
export function describeEventLogContract(name: string, open: (capacity: number) => Promise<EventLog>): void {
  describe(`${name} event log`, () => {
    const topic = () => `test-${Math.random().toString(36).slice(2)}`;

    it('delivers live entries to every subscriber in append order', async () => {
      const log = await open(100);
      const t = topic();
      const controllers = [new AbortController(), new AbortController()];
      const subs = await Promise.all(controllers.map((c) => log.subscribe(t, { signal: c.signal })));
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await log.append(t, 'stock-change', { n: i }));
      for (const sub of subs) {
        expect(sub.resume).toEqual({ kind: 'live' });
        const got = await take(sub.entries, 5);
        expect(got.map((e) => e.id)).toEqual(ids);
        expect(got.map((e) => e.data)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
      }
      for (const c of controllers) c.abort();
      await log.close();
    });

    it('replays exactly the entries after an id, then continues live without a gap', async () => {
      const log = await open(100);
      const t = topic();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await log.append(t, 'e', i));
      const controller = new AbortController();
      const sub = await log.subscribe(t, { afterId: ids[1], signal: controller.signal });
      expect(sub.resume).toEqual({ kind: 'replayed', count: 3 });
      ids.push(await log.append(t, 'e', 5));
      const got = await take(sub.entries, 4);
      expect(got.map((e) => e.data)).toEqual([2, 3, 4, 5]);
      expect(got.map((e) => e.id)).toEqual(ids.slice(2));
      controller.abort();
      await log.close();
    });

    it('pushes the replay, then live entries in batches shared by every listener, each once and in order', async () => {
      const log = await open(100);
      const t = topic();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await log.append(t, 'e', i));
      const listeners = [0, 1].map(() => ({
        batches: [] as (readonly LogEntry[])[],
        ends: [] as (Error | undefined)[],
      }));
      const subs = await Promise.all(listeners.map(() => log.subscribe(t, { afterId: ids[0] })));
      subs.forEach((sub, i) => {
        const seen = listeners[i]!;
        sub.listen({ entries: (batch) => seen.batches.push(batch), ended: (error) => seen.ends.push(error) });
      });
      const live = await Promise.all([3, 4, 5].map((n) => log.append(t, 'e', n)));
      const delivered = (i: number) => listeners[i]!.batches.flat();
      await until(() => listeners.every((_, i) => delivered(i).length >= 5));

      for (const [i, seen] of listeners.entries()) {
        expect(delivered(i).map((entry) => entry.id)).toEqual([...ids.slice(1), ...live]);
        expect(seen.batches[0]!.map((entry) => entry.data)).toEqual([1, 2]);
      }
      const liveBatches = listeners.map((seen) => seen.batches.slice(1));
      for (const [k, batch] of liveBatches[0]!.entries()) expect(liveBatches[1]![k]).toBe(batch);
      for (const sub of subs) sub.close();
      expect(listeners.map((seen) => seen.ends)).toEqual([[undefined], [undefined]]);
      await log.close();
    });

    it('loses and repeats nothing when entries are appended while a subscriber resumes', async () => {
      const log = await open(1000);
      const t = topic();
      const first = await log.append(t, 'e', 0);
      const appending = (async () => {
        for (let i = 1; i <= 50; i++) await log.append(t, 'e', i);
      })();
      const controller = new AbortController();
      const sub = await log.subscribe(t, { afterId: first, signal: controller.signal });
      await appending;
      const got = await take(sub.entries, 50);
      expect(got.map((e) => e.data)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      controller.abort();
      await log.close();
    });

    it('answers the newest id as head, and the newest id resumes live', async () => {
      const log = await open(100);
      const t = topic();
      expect(await log.head(t)).toBeUndefined();
      await log.append(t, 'e', 1);
      const last = await log.append(t, 'e', 2);
      expect(await log.head(t)).toBe(last);
      const controller = new AbortController();
      const sub = await log.subscribe(t, { afterId: last, signal: controller.signal });
      expect(sub.resume).toEqual({ kind: 'live' });
      controller.abort();
      await log.close();
    });

    it('reads every entry a topic holds without waiting for live ones', async () => {
      const log = await open(100);
      const t = topic();
      expect(await log.read(t)).toEqual([]);
      const ids = [await log.append(t, 'a', 1), await log.append(t, 'b', 2)];
      expect(await log.read(t)).toEqual([
        { id: ids[0], event: 'a', data: 1 },
        { id: ids[1], event: 'b', data: 2 },
      ]);
      await log.close();
    });

    it('signals reset for an id it never issued', async () => {
      const log = await open(100);
      const t = topic();
      const last = await log.append(t, 'e', 1);
      const controller = new AbortController();
      for (const bogus of ['999999999', 'not-an-id']) {
        const sub = await log.subscribe(t, { afterId: bogus, signal: controller.signal });
        expect(sub.resume).toEqual({ kind: 'reset', reason: 'unknown_id', headId: last });
      }
      controller.abort();
      await log.close();
    });

    it('signals reset for an id that was trimmed, then delivers live entries', async () => {
      const log = await open(10);
      const t = topic();
      const first = await log.append(t, 'e', 0);
      let last = first;
      for (let i = 1; i < 200; i++) last = await log.append(t, 'e', i);
      const controller = new AbortController();
      const sub = await log.subscribe(t, { afterId: first, signal: controller.signal });
      expect(sub.resume).toEqual({ kind: 'reset', reason: 'expired_id', headId: last });
      await log.append(t, 'e', 'live');
      const [next] = await take(sub.entries, 1);
      expect(next?.data).toBe('live');
      controller.abort();
      await log.close();
    });

    it('ends the iteration when the subscriber aborts', async () => {
      const log = await open(100);
      const t = topic();
      const controller = new AbortController();
      const sub = await log.subscribe(t, { signal: controller.signal });
      const reading = take(sub.entries, 10);
      await log.append(t, 'e', 1);
      controller.abort();
      expect((await reading).length).toBeLessThanOrEqual(1);
      await log.close();
    });
  });
}
