import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelParams, type Client, createClient } from '../../packages/client/src/index.js';
import { useEventStream } from '../../packages/client/src/react/index.js';
import { INVENTORY_TOPIC } from '../../src/domain/inventory/index.js';
import type { Store } from '../../src/store/index.js';
import { accessToken, STAFF_SCOPES } from '../helpers/accessTokens.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';
import { removeDomGlobals } from './domGlobals.js';

let store: Store;
let app: StartedApp;
let client: Client;
let staff: Client;
let petIds: string[];
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store, retryMs: 50 });
  client = createClient({ baseUrl: app.url });
  // setStock changes the inventory, which needs a token with inventory:write.
  staff = createClient({ baseUrl: app.url, token: await accessToken('staff-1', { scopes: STAFF_SCOPES }) });
  const { items } = await store.pets.list({ limit: 100, offset: 0 });
  petIds = items.filter((pet) => pet.stock >= 5).map((pet) => pet.id);
});
afterEach(() => cleanup());
afterAll(async () => {
  await app.close();
  await store.close();
  await removeDomGlobals();
});

const setStock = (petId: string, stock: number) =>
  staff.PATCH('/v1/inventory/{petId}', { params: { path: { petId } }, body: { stock } });

describe('useEventStream', () => {
  it('goes from connecting to open, receives events, and keeps the last maxEvents', async () => {
    const petId = petIds[0]!;
    const { result } = renderHook(() =>
      useEventStream(client, 'inventoryStream', { petId }, { maxEvents: 2 }),
    );
    expect(result.current.status).toBe('connecting');
    await waitFor(() => expect(result.current.status).toBe('open'));
    for (const stock of [21, 22, 23]) await setStock(petId, stock);
    await waitFor(() => {
      const last = result.current.last;
      expect(last?.event === 'stock-change' && last.data.newStock).toBe(23);
    });
    expect(
      result.current.events.map((event) => event.event === 'stock-change' && event.data.newStock),
    ).toEqual([22, 23]);
    expect(result.current).toMatchObject({ status: 'open', done: false, error: undefined });
  });

  it('ends closed and done after the terminal event of a finite stream', async () => {
    const { result } = renderHook(() =>
      useEventStream(client, 'recommendationsStream', { userId: 'user-456', limit: 2 }),
    );
    await waitFor(() => expect(result.current.status).toBe('closed'));
    expect(result.current.done).toBe(true);
    expect(result.current.events.map((event) => event.event)).toEqual([
      'recommendation',
      'recommendation',
      'complete',
    ]);
  });

  it('reports a refused stream as status error with the StreamHttpError', async () => {
    const { result } = renderHook(() =>
      useEventStream(client, 'recommendationsStream', { userId: 'nobody-here' }),
    );
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ name: 'StreamHttpError', status: 404 });
    expect(result.current.done).toBe(true);
  });

  it('shows reconnecting while the connection is down, then open again', async () => {
    const statuses: string[] = [];
    const { result } = renderHook(() => {
      const state = useEventStream(client, 'inventoryStream', {});
      statuses.push(state.status);
      return state;
    });
    await waitFor(() => expect(result.current.status).toBe('open'));
    app.dropConnections();
    await waitFor(() => expect(statuses).toContain('reconnecting'));
    await waitFor(() => expect(result.current.status).toBe('open'));
    expect([...new Set(statuses)]).toEqual(['connecting', 'open', 'reconnecting']);
    expect(statuses.at(-1)).toBe('open');
  });

  it('closes the stream on unmount', async () => {
    const { result, unmount } = renderHook(() => useEventStream(client, 'inventoryStream', {}));
    await waitFor(() => expect(result.current.status).toBe('open'));
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(1);
    unmount();
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 0);
  });

  it('restarts on a param change but not on a new object with the same values', async () => {
    const [first, second] = [petIds[1]!, petIds[2]!];
    const { result, rerender } = renderHook(
      (params: ChannelParams<'inventoryStream'>) => useEventStream(client, 'inventoryStream', params),
      { initialProps: { petId: first } },
    );
    await waitFor(() => expect(result.current.status).toBe('open'));
    await setStock(first, 31);
    await waitFor(() => expect(result.current.events).toHaveLength(1));

    rerender({ petId: first });
    expect(result.current.events).toHaveLength(1);
    expect(app.eventLog.readerCount(INVENTORY_TOPIC)).toBe(1);

    rerender({ petId: second });
    expect(result.current).toMatchObject({ status: 'connecting', events: [] });
    await waitFor(() => expect(result.current.status).toBe('open'));
    await until(() => app.eventLog.readerCount(INVENTORY_TOPIC) === 1);
    await setStock(first, 32);
    await setStock(second, 41);
    await waitFor(() => expect(result.current.events).toHaveLength(1));
    expect(result.current.last).toMatchObject({
      event: 'stock-change',
      data: { petId: second, newStock: 41 },
    });
  });
});
