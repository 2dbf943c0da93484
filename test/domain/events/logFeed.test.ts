import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLiveLog } from '../../../src/bus/index.js';
import {
  createEventLog,
  type EventLog,
  INVENTORY_TOPIC,
  openLogFeed,
} from '../../../src/domain/events/index.js';
import type { Store } from '../../../src/store/index.js';
import { openTestStore } from '../../helpers/testStore.js';

let store: Store;
let log: EventLog;
let boundsQueries = 0;

beforeAll(async () => {
  const opened = await openTestStore({ seed: false });
  // The real repository, counted: how many bounds queries reach the database.
  const bounds = opened.events.bounds.bind(opened.events);
  store = {
    ...opened,
    events: {
      ...opened.events,
      bounds: (topic) => {
        boundsQueries++;
        return bounds(topic);
      },
    },
  };
  log = await createEventLog({ store, live: (history) => createMemoryLiveLog({ history, capacity: 100 }) });
});
afterAll(async () => {
  await log?.close();
  await store?.close();
});

const open = (resumeId?: string) => {
  const signal = new AbortController().signal;
  return openLogFeed(log, INVENTORY_TOPIC, resumeId, { signal, afterReset: 'refetch' });
};

describe('openLogFeed: bounds of the topic', () => {
  it('lets streams that open together without a resume id share one bounds query, starting at one head', async () => {
    const before = boundsQueries;
    const feeds = await Promise.all(Array.from({ length: 50 }, () => open()));
    expect(boundsQueries - before).toBe(1);
    expect(new Set(feeds.map((feed) => feed.startId)).size).toBe(1);
    for (const feed of feeds) feed.messages.close();
  });

  it('asks again once the shared query has answered, and never shares with a resume', async () => {
    const before = boundsQueries;
    // Each closes before the next opens: a topic with followers in this process starts a new stream at their
    // position without any query (see openLogFeed), which is not what this test is about.
    const first = await open();
    first.messages.close();
    const second = await open();
    second.messages.close();
    const resumed = await Promise.all([open(first.startId), open(first.startId)]);
    expect(boundsQueries - before).toBe(4);
    for (const feed of resumed) feed.messages.close();
  });
});
