/**
 * Group commit: the writes that arrive while one transaction of the event log is running wait for it, then
 * run together in the next one (each in a savepoint of its own). A stream's counter row is then locked once per
 * group rather than once per write, and the database flushes one commit for the whole group: concurrent writes
 * no longer queue one WAL flush each behind that row.
 */

/** One write waiting for its group. */
export interface GroupMember<R> {
  /**
   * What the write locks first, such as `pet:<id>`: a group runs its members in the order of their keys, so
   * two groups (of two processes) take those rows in the same order. Without one: first, in arrival order.
   */
  readonly lockKey: string;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** Runs one group; settles every member itself (it never rejects). */
export type RunGroup<M> = (members: M[]) => Promise<void>;

/** Most writes one group commits. */
export const MAX_GROUP = 64;

/**
 * Queues writes into groups: a write made while none runs starts a group one event-loop turn later (with the
 * writes made in that turn); those that arrive while a group runs make
 * up the next one (at most {@link MAX_GROUP}), run as soon as it ends. One group runs at a time.
 */
export function createGroupCommit<R, M extends GroupMember<R>>(runGroup: RunGroup<M>): (member: M) => void {
  const waiting: M[] = [];
  let running = false;

  async function drain(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const group = waiting.splice(0, MAX_GROUP);
        // Stable: members with the same key (or none) keep their arrival order.
        group.sort((a, b) => (a.lockKey < b.lockKey ? -1 : a.lockKey > b.lockKey ? 1 : 0));
        await runGroup(group).catch((error: unknown) => {
          for (const member of group) member.reject(error);
        });
      }
    } finally {
      running = false;
    }
  }

  return (member) => {
    waiting.push(member);
    if (running) return;
    running = true;
    // One turn of the event loop first, so that the writes of requests read in the same turn join the group:
    // on the embedded database a whole transaction runs without ever yielding to I/O, so none would wait.
    setImmediate(() => void drain());
  };
}
