import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../generated/validators/schemas.js';
import { NotFoundError } from '../../src/store/errors/NotFoundError.js';
import type { Store } from '../../src/store/openStore.js';
import { openTestStore } from '../helpers/testStore.js';
import { expectValid } from './expectValid.js';

let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

describe('usersRepository', () => {
  it('answers undefined for an unknown user', async () => {
    expect(await store.users.get('nobody')).toBeUndefined();
    expect(await store.users.putPreferences('nobody', {})).toBeUndefined();
    const [pet] = await store.pets.all();
    expect(await store.users.like('nobody', pet!.id)).toBeUndefined();
  });

  it('replaces preferences as a whole', async () => {
    const before = await store.users.get('user-123');
    const user = await store.users.putPreferences('user-123', { species: ['rabbit'], maxAgeMonths: 36 });
    expectValid(User, user);
    expect(user).toEqual({ ...before, preferences: { species: ['rabbit'], maxAgeMonths: 36 } });
    expect(await store.users.get('user-123')).toEqual(user);
  });

  it('adds a liked pet after the earlier ones and ignores liking it again', async () => {
    const before = await store.users.get('user-456');
    const rabbit = (await store.pets.list({ species: 'rabbit', limit: 1 })).items[0]!;
    const liked = await store.users.like('user-456', rabbit.id, {
      now: new Date('2026-11-24T10:00:00.000Z'),
    });
    expectValid(User, liked);
    expect(liked?.likedPetIds).toEqual([...before!.likedPetIds, rabbit.id]);
    const again = await store.users.like('user-456', rabbit.id, {
      now: new Date('2026-11-25T10:00:00.000Z'),
    });
    expect(again).toEqual(liked);
  });

  it('refuses to like an unknown pet', async () => {
    const like = store.users.like('user-456', '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90');
    await expect(like).rejects.toBeInstanceOf(NotFoundError);
    await expect(like).rejects.toMatchObject({ code: 'not_found', entity: 'pet' });
    await expect(store.users.like('user-456', 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
  });
});
