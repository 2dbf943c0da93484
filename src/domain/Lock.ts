/**
 * Runs `fn` while holding the named lock shared by every instance (see `Db.withLock`). A change and the
 * event it publishes happen under one lock, so events leave in commit order.
 */
export type Lock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;
