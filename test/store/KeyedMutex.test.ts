import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/store/KeyedMutex.js';

describe('KeyedMutex', () => {
  it('runs work for one key one at a time, in call order, even when a step fails', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, fail = false) =>
      mutex.run('k', async () => {
        log.push(`start ${name}`);
        await Promise.resolve();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await Promise.resolve();
    expect(mutex.size).toBe(0);
  });

  it('lets different keys run side by side', async () => {
    const mutex = new KeyedMutex();
    let release: () => void = () => {};
    const blocked = mutex.run(
      'a',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await expect(mutex.run('b', async () => 'b ran')).resolves.toBe('b ran');
    release();
    await blocked;
  });
});
