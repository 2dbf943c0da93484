import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { SEED_USERS, uuidv7 } from '../../src/store/index.js';
import { STAFF_SCOPES, staffBearer } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { restClient, type Send } from '../helpers/restClient.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

type Pet = components['schemas']['Pet'];
type PetCreate = components['schemas']['PetCreate'];
type InventoryItem = components['schemas']['InventoryItem'];

// One app (and one PGlite, which takes seconds to open) for every REST resource. Tests that change data
// use a pet or user of their own, so they do not see each other's changes. The fulfilment worker steps
// every 60 s here, so an order only moves when a test moves it. Requests carry a token of user-456 (with the
// staff scopes, for catalog and inventory writes) unless they act for another user (`as`); auth itself is
// tested in auth.test.ts and scopes.test.ts.
let app: StartedApp;
let send: Send;
beforeAll(async () => {
  app = await startApp();
  send = restClient(app.url, 'user-456', { scopes: STAFF_SCOPES });
});
/** Requests with a token of `userId`. */
const as = (userId: string): Send => restClient(app.url, userId);
afterAll(async () => {
  await app.close();
});

/** The catalog as the store holds it, oldest first: the oracle for what the API should list. */
const catalog = () => app.store.pets.all();
const ids = (pets: readonly Pet[]) => pets.map((pet) => pet.id);

const newPet = (overrides: Partial<PetCreate> = {}): PetCreate => ({
  name: 'Pancake',
  species: 'rabbit',
  breed: 'Mini Lop',
  size: 'small',
  ageMonths: 5,
  traits: ['gentle', 'curious'],
  description: 'Flops over sideways when content.',
  price: 120.5,
  stock: 3,
  ...overrides,
});

const listPets = async (query: string) =>
  expectMatchesSpec('listPets', await send('GET', `/v1/pets${query}`), 200);
const createPet = async (input: PetCreate) =>
  expectMatchesSpec('createPet', await send('POST', '/v1/pets', input), 201);
const getPet = async (id: string) => expectMatchesSpec('getPet', await send('GET', `/v1/pets/${id}`), 200);
const stockOf = async (petId: string) => (await getPet(petId)).stock;
const stockedPet = (stock: number, price = 19.99) => createPet(newPet({ stock, price }));

const listInventory = async () =>
  (await expectMatchesSpec('listInventory', await send('GET', '/v1/inventory'), 200)).items;
const itemOf = async (petId: string) => (await listInventory()).find((item) => item.petId === petId);
const updateInventory = (petId: string, body: unknown) => send('PATCH', `/v1/inventory/${petId}`, body);
async function freshItem(stock: number, price: number): Promise<InventoryItem> {
  const pet = await stockedPet(stock, price);
  return { petId: pet.id, name: pet.name, stock: pet.stock, price: pet.price, updatedAt: pet.updatedAt };
}

/** Places an order with a token of the user it is for (user-456 when it names none). */
const placeOrder = (body: Record<string, unknown>) =>
  as(typeof body.userId === 'string' ? body.userId : 'user-456')('POST', '/v1/orders', body);
const cancelOrder = (orderId: string) => send('POST', `/v1/orders/${orderId}/cancel`);
const getOrder = async (orderId: string) =>
  expectMatchesSpec('getOrder', await send('GET', `/v1/orders/${orderId}`), 200);
const statuses = (order: { history: { status: string }[] }) => order.history.map((entry) => entry.status);
async function orderOf(pet: Pet, quantity: number) {
  const response = await placeOrder({ petId: pet.id, quantity, userId: 'user-456' });
  return expectMatchesSpec('createOrder', response, 201);
}

const getUser = async (userId: string) =>
  expectMatchesSpec('getUser', await as(userId)('GET', `/v1/users/${userId}`), 200);
const putPreferences = (userId: string, body: unknown) =>
  as(userId)('PUT', `/v1/users/${userId}/preferences`, body);
const like = (userId: string, body: unknown) => as(userId)('POST', `/v1/users/${userId}/likes`, body);
const seedUser = (id: string) => SEED_USERS.find((user) => user.id === id)!;

describe('GET /v1/pets', () => {
  it('pages through the whole catalog oldest first, each pet once, with the same total on every page', async () => {
    const expected = await catalog();
    const seen: Pet[] = [];
    for (let offset = 0; offset < expected.length + 7; offset += 7) {
      const page = await listPets(`?limit=7&offset=${offset}`);
      expect(page.total).toBe(expected.length);
      expect(page.items.length).toBe(Math.max(0, Math.min(7, expected.length - offset)));
      seen.push(...page.items);
    }
    expect(ids(seen)).toEqual(ids(expected));
    expect(new Set(ids(seen)).size).toBe(expected.length);
    const times = seen.map((pet) => Date.parse(pet.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('returns the first 20 pets when no limit or offset is given', async () => {
    const page = await listPets('');
    expect(ids(page.items)).toEqual(ids((await catalog()).slice(0, 20)));
  });

  it.each([
    ['species=cat', (pet: Pet) => pet.species === 'cat'],
    ['species=guinea-pig', (pet: Pet) => pet.species === 'guinea-pig'],
    ['size=large', (pet: Pet) => pet.size === 'large'],
    ['species=dog&size=small', (pet: Pet) => pet.species === 'dog' && pet.size === 'small'],
  ])('filters by %s and counts only the matching pets in total', async (query, matches) => {
    const expected = (await catalog()).filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    const page = await listPets(`?${query}&limit=100`);
    expect(page.total).toBe(expected.length);
    expect(ids(page.items)).toEqual(ids(expected));
  });

  it('pages within a filter: the second page continues where the first stopped', async () => {
    const expected = (await catalog()).filter((pet) => pet.species === 'dog');
    const first = await listPets('?species=dog&limit=3');
    const second = await listPets('?species=dog&limit=3&offset=3');
    expect([...ids(first.items), ...ids(second.items)]).toEqual(ids(expected.slice(0, 6)));
    expect(second.total).toBe(expected.length);
  });

  it('answers an offset past the end with an empty page and the full total', async () => {
    const total = (await catalog()).length;
    const page = await listPets(`?offset=${total + 10}`);
    expect(page).toEqual({ items: [], total });
  });

  it.each([
    ['limit=0', '/limit'],
    ['limit=abc', '/limit'],
    ['limit=101', '/limit'],
    ['limit=2.5', '/limit'],
    ['offset=-1', '/offset'],
    ['species=unicorn', '/species'],
    ['species=%0A', '/species'],
    ['size=huge', '/size'],
    ['limit=5&limit=6', '/limit'],
  ])('refuses the query %s with a 400 naming %s', async (query, pointer) => {
    const problem = await expectMatchesSpec('listPets', await send('GET', `/v1/pets?${query}`), 400);
    expect(problem.type).toBe('/problems/validation-error');
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'query', pointer }));
  });
});

describe('POST /v1/pets', () => {
  it('creates the pet and answers 201 with a Location where the same pet can then be read', async () => {
    const input = newPet();
    const response = await send('POST', '/v1/pets', input);
    const location = response.headers.get('location');
    const pet = await expectMatchesSpec('createPet', response, 201);
    expect(pet).toMatchObject(input);
    expect(pet.createdAt).toBe(pet.updatedAt);
    expect(location).toBe(`/v1/pets/${pet.id}`);
    expect(await expectMatchesSpec('getPet', await send('GET', location!), 200)).toEqual(pet);
    expect(ids(await catalog())).toContain(pet.id);
  });

  it('lists a new pet last, as the newest, and counts it in the total of its species', async () => {
    const before = await listPets('?species=reptile&limit=100');
    const pet = await createPet(newPet({ species: 'reptile', name: 'Basil' }));
    const after = await listPets('?species=reptile&limit=100');
    expect(after.total).toBe(before.total + 1);
    expect(ids(after.items)).toEqual([...ids(before.items), pet.id]);
  });

  it('fills traits with [] and description with "" when they are left out', async () => {
    const { traits: _traits, description: _description, ...input } = newPet({ name: 'Plain' });
    const pet = await createPet(input);
    expect(pet.traits).toEqual([]);
    expect(pet.description).toBe('');
  });

  it.each([0.07, 0.29, 1.15, 4.35, 19.99, 1_000_000])('keeps the price %s exactly as sent', async (price) => {
    const pet = await createPet(newPet({ price }));
    expect(pet.price).toBe(price);
    expect((await getPet(pet.id)).price).toBe(price);
  });

  const withoutName = () => {
    const { name: _name, ...rest } = newPet();
    return rest;
  };
  it.each([
    ['without a required field', '/name', withoutName()],
    ['with a number given as a string', '/ageMonths', { ...newPet(), ageMonths: '8' }],
    ['with a property the schema does not have', '/color', { ...newPet(), color: 'brown' }],
    ['with a negative stock', '/stock', newPet({ stock: -1 })],
    ['with a fractional stock', '/stock', newPet({ stock: 1.5 })],
    ['with a price in fractions of a cent', '/price', newPet({ price: 1.001 })],
    ['with a negative price', '/price', newPet({ price: -5 })],
    ['with a 101-character name', '/name', newPet({ name: 'n'.repeat(101) })],
    ['with an empty name', '/name', newPet({ name: '' })],
    ['with an unknown species', '/species', { ...newPet(), species: 'dragon' }],
    ['with a trait given twice', '/traits', newPet({ traits: ['calm', 'calm'] })],
    ['with a trait that is not kebab case', '/traits/0', newPet({ traits: ['Good With Kids'] })],
    ['with a NUL character in the name', '/name', newPet({ name: 'Nu\u0000ll' })],
    [
      'with half a surrogate pair in the description',
      '/description',
      newPet({ description: 'broken \ud83d' }),
    ],
  ])('refuses a pet %s with a 400 naming "%s", and creates nothing', async (_case, pointer, body) => {
    const before = (await catalog()).length;
    const problem = await expectMatchesSpec('createPet', await send('POST', '/v1/pets', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect((await catalog()).length).toBe(before);
  });

  it('lists every invalid field of a body at once', async () => {
    const body = { ...withoutName(), stock: -1, price: 1.001, color: 'brown' };
    const problem = await expectMatchesSpec('createPet', await send('POST', '/v1/pets', body), 400);
    const pointers = problem.errors?.map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/name', '/stock', '/price', '/color']));
  });

  it.each([
    ['text that is not JSON', '{"name": '],
    ['JSON that is not an object', '["Pancake"]'],
    ['an empty body', ''],
  ])('refuses %s with a 400 about the whole body', async (_case, text) => {
    const response = await fetch(`${app.url}/v1/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await staffBearer()) },
      body: text,
    });
    const problem = await expectMatchesSpec('createPet', response, 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer: '' }));
  });
});

describe('GET /v1/pets/{petId}', () => {
  it('returns the pet with that id', async () => {
    const expected = (await catalog())[5]!;
    expect(await getPet(expected.id)).toEqual(expected);
  });

  it('answers 404 for a well-formed UUIDv7 that no pet has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec('getPet', await send('GET', `/v1/pets/${id}`), 404);
    expect(problem.detail).toContain(id);
  });
});

describe('PATCH /v1/pets/{petId}', () => {
  const updatePet = async (id: string, body: unknown) => send('PATCH', `/v1/pets/${id}`, body);

  it('changes only the fields given, and updatedAt', async () => {
    const before = await createPet(newPet({ name: 'Patchy' }));
    const change = { description: 'Now house-trained.', traits: ['gentle', 'house-trained'] };
    const after = await expectMatchesSpec('updatePet', await updatePet(before.id, change), 200);
    expect(after).toEqual({ ...before, ...change, updatedAt: after.updatedAt });
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
    expect(await getPet(before.id)).toEqual(after);
  });

  it('changes name, breed, size and age together', async () => {
    const before = await createPet(newPet({ name: 'Renamed' }));
    const change = { name: 'Waffle', breed: 'Holland Lop', size: 'medium', ageMonths: 9 } as const;
    const after = await expectMatchesSpec('updatePet', await updatePet(before.id, change), 200);
    expect(after).toEqual({ ...before, ...change, updatedAt: after.updatedAt });
  });

  it.each([
    ['stock, which changes through the inventory', { stock: 9 }, '/stock'],
    ['price, which changes through the inventory', { price: 9.99 }, '/price'],
    ['species, which never changes', { species: 'cat' }, '/species'],
    ['an empty change', {}, ''],
    ['an empty name', { name: '' }, '/name'],
    ['an age over 600 months', { ageMonths: 601 }, '/ageMonths'],
    ['a NUL character in the breed', { breed: 'Lop\u0000' }, '/breed'],
  ])('refuses %s with a 400 and leaves the pet as it was', async (_case, body, pointer) => {
    const before = await createPet(newPet({ name: 'Steady' }));
    const problem = await expectMatchesSpec('updatePet', await updatePet(before.id, body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await getPet(before.id)).toEqual(before);
  });

  it('answers 404 for a well-formed UUIDv7 that no pet has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec('updatePet', await updatePet(id, { name: 'Ghost' }), 404);
    expect(problem.detail).toContain(id);
  });
});

describe('GET /v1/inventory', () => {
  it('lists the name, stock and price of every pet in the catalog', async () => {
    const pets = await app.store.pets.all();
    const items = await listInventory();
    const byPet = new Map(items.map((item) => [item.petId, item]));
    expect(items).toHaveLength(pets.length);
    for (const pet of pets) {
      expect(byPet.get(pet.id)).toEqual({
        petId: pet.id,
        name: pet.name,
        stock: pet.stock,
        price: pet.price,
        updatedAt: pet.updatedAt,
      });
    }
  });

  it('includes a pet as soon as it is added to the catalog', async () => {
    const pet = await freshItem(6, 42.5);
    expect(await itemOf(pet.petId)).toEqual(pet);
  });
});

describe('PATCH /v1/inventory/{petId}', () => {
  it('sets stock and price, and GET /v1/inventory and GET /v1/pets/{petId} show the new values', async () => {
    const before = await freshItem(4, 80);
    const after = await expectMatchesSpec(
      'updateInventory',
      await updateInventory(before.petId, { stock: 11, price: 72.35 }),
      200,
    );
    expect(after).toEqual({ ...before, stock: 11, price: 72.35, updatedAt: after.updatedAt });
    expect(await itemOf(before.petId)).toEqual(after);
    const pet = await expectMatchesSpec('getPet', await send('GET', `/v1/pets/${before.petId}`), 200);
    expect(pet).toMatchObject({ stock: 11, price: 72.35, updatedAt: after.updatedAt });
  });

  it('changes only the stock when only the stock is given', async () => {
    const before = await freshItem(4, 80);
    const after = await expectMatchesSpec(
      'updateInventory',
      await updateInventory(before.petId, { stock: 0 }),
      200,
    );
    expect(after).toMatchObject({ stock: 0, price: before.price });
    expect(await itemOf(before.petId)).toEqual(after);
  });

  it('changes only the price when only the price is given', async () => {
    const before = await freshItem(4, 80);
    const after = await expectMatchesSpec(
      'updateInventory',
      await updateInventory(before.petId, { price: 0.1 }),
      200,
    );
    expect(after).toMatchObject({ stock: before.stock, price: 0.1 });
    expect(await itemOf(before.petId)).toEqual(after);
  });

  it('answers with the item unchanged when the values are already the current ones', async () => {
    const before = await freshItem(4, 80);
    const after = await expectMatchesSpec(
      'updateInventory',
      await updateInventory(before.petId, { stock: 4, price: 80 }),
      200,
    );
    expect(after).toEqual(before);
  });

  it.each([
    ['a negative stock', '/stock', { stock: -1 }],
    ['a fractional stock', '/stock', { stock: 2.5 }],
    ['a stock over 1000000', '/stock', { stock: 1_000_001 }],
    ['a stock given as a string', '/stock', { stock: '5' }],
    ['a price in fractions of a cent', '/price', { price: 1.001 }],
    ['a negative price', '/price', { price: -0.01 }],
    ['a property the schema does not have', '/name', { stock: 3, name: 'Renamed' }],
    ['an empty change', '', {}],
    ['a body that is not an object', '', [3]],
  ])('refuses %s with a 400 naming "%s" and changes nothing', async (_case, pointer, body) => {
    const before = await freshItem(4, 80);
    const problem = await expectMatchesSpec(
      'updateInventory',
      await updateInventory(before.petId, body),
      400,
    );
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await itemOf(before.petId)).toEqual(before);
  });

  it('answers 404 for a well-formed UUIDv7 that no pet has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec('updateInventory', await updateInventory(id, { stock: 1 }), 404);
    expect(problem.detail).toContain(id);
    expect(await itemOf(id)).toBeUndefined();
  });
});

describe('POST /v1/orders', () => {
  it('places the order: 201 with a Location, status payment_processing, a one-entry history', async () => {
    const pet = await stockedPet(5, 19.99);
    const response = await placeOrder({ petId: pet.id, quantity: 3, userId: 'user-456' });
    const location = response.headers.get('location');
    const order = await expectMatchesSpec('createOrder', response, 201);
    expect(order).toMatchObject({
      petId: pet.id,
      userId: 'user-456',
      quantity: 3,
      unitPrice: 19.99,
      total: 59.97,
    });
    expect(order.status).toBe('payment_processing');
    expect(order.history).toEqual([{ status: 'payment_processing', timestamp: order.createdAt }]);
    expect(order.trackingNumber).toBeUndefined();
    expect(location).toBe(`/v1/orders/${order.id}`);
    expect(await expectMatchesSpec('getOrder', await send('GET', location!), 200)).toEqual(order);
  });

  it('takes the stock: GET /v1/pets/{petId} and GET /v1/inventory show it lower', async () => {
    const pet = await stockedPet(5);
    await orderOf(pet, 2);
    expect(await stockOf(pet.id)).toBe(3);
    const inventory = await expectMatchesSpec('listInventory', await send('GET', '/v1/inventory'), 200);
    expect(inventory.items.find((item) => item.petId === pet.id)?.stock).toBe(3);
  });

  it('takes the last unit in stock, then refuses the next order with 409', async () => {
    const pet = await stockedPet(2);
    await orderOf(pet, 2);
    expect(await stockOf(pet.id)).toBe(0);
    const response = await placeOrder({ petId: pet.id, quantity: 1, userId: 'user-123' });
    await expectMatchesSpec('createOrder', response, 409);
    expect(await stockOf(pet.id)).toBe(0);
  });

  it('refuses an order for more than the stock with 409 and leaves the stock and orders as they were', async () => {
    const pet = await stockedPet(2);
    const unfinished = (await app.store.orders.listUnfinished()).length;
    const response = await placeOrder({ petId: pet.id, quantity: 3, userId: 'user-456' });
    const problem = await expectMatchesSpec('createOrder', response, 409);
    expect(problem.detail).toContain(pet.id);
    expect(await stockOf(pet.id)).toBe(2);
    expect((await app.store.orders.listUnfinished()).length).toBe(unfinished);
  });

  it('refuses an order whose total would pass 1000000 with 409 and leaves the stock', async () => {
    const pet = await stockedPet(5, 600_000);
    const response = await placeOrder({ petId: pet.id, quantity: 2, userId: 'user-456' });
    await expectMatchesSpec('createOrder', response, 409);
    expect(await stockOf(pet.id)).toBe(5);
  });

  it('answers 404 for a well-formed UUIDv7 that no pet has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec(
      'createOrder',
      await placeOrder({ petId: id, quantity: 1, userId: 'user-456' }),
      404,
    );
    expect(problem.detail).toContain(id);
  });

  it('answers 404 for a well-formed user id that no user has, and takes no stock', async () => {
    const pet = await stockedPet(3);
    const response = await placeOrder({ petId: pet.id, quantity: 1, userId: 'user-nobody' });
    const problem = await expectMatchesSpec('createOrder', response, 404);
    expect(problem.detail).toContain('user-nobody');
    expect(await stockOf(pet.id)).toBe(3);
  });

  it.each([
    ['a quantity of 0', '/quantity', { quantity: 0 }],
    ['a quantity over 10', '/quantity', { quantity: 11 }],
    ['a fractional quantity', '/quantity', { quantity: 1.5 }],
    ['a quantity given as a string', '/quantity', { quantity: '1' }],
    ['no user id', '/userId', { userId: undefined }],
    ['a user id with a space', '/userId', { userId: 'user 456' }],
    ['a pet id that is not a UUIDv7', '/petId', { petId: 'Whiskers' }],
    ['a property the schema does not have', '/coupon', { coupon: 'FREEPET' }],
  ])('refuses an order with %s with a 400 naming "%s" and takes no stock', async (_case, pointer, change) => {
    const pet = await stockedPet(3);
    const body = { petId: pet.id, quantity: 1, userId: 'user-456', ...change };
    const problem = await expectMatchesSpec('createOrder', await placeOrder(body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await stockOf(pet.id)).toBe(3);
  });
});

describe('GET /v1/orders/{orderId}', () => {
  it('shows each status the order went through, in order, and the tracking number once shipped', async () => {
    const order = await orderOf(await stockedPet(3), 1);
    await app.services.orders.advance(order.id, 'payment_confirmed');
    const confirmed = await getOrder(order.id);
    expect(confirmed.status).toBe('payment_confirmed');
    expect(statuses(confirmed)).toEqual(['payment_processing', 'payment_confirmed']);
    expect(confirmed.trackingNumber).toBeUndefined();
    await app.services.orders.advance(order.id, 'preparing_shipment');
    await app.services.orders.advance(order.id, 'shipped');
    const shipped = await getOrder(order.id);
    expect(shipped.status).toBe('shipped');
    expect(statuses(shipped)).toEqual([
      'payment_processing',
      'payment_confirmed',
      'preparing_shipment',
      'shipped',
    ]);
    expect(shipped.trackingNumber).toEqual(expect.any(String));
  });

  it('answers 404 for a well-formed UUIDv7 that no order has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec('getOrder', await send('GET', `/v1/orders/${id}`), 404);
    expect(problem.detail).toContain(id);
  });
});

describe('POST /v1/orders/{orderId}/cancel', () => {
  it('cancels an order that has not shipped and returns its stock', async () => {
    const pet = await stockedPet(5);
    const order = await orderOf(pet, 2);
    expect(await stockOf(pet.id)).toBe(3);
    const cancelled = await expectMatchesSpec('cancelOrder', await cancelOrder(order.id), 200);
    expect(cancelled).toMatchObject({ id: order.id, status: 'cancelled', quantity: 2 });
    expect(statuses(cancelled)).toEqual(['payment_processing', 'cancelled']);
    expect(await stockOf(pet.id)).toBe(5);
    expect(await getOrder(order.id)).toEqual(cancelled);
  });

  it('cancels an order that is preparing shipment', async () => {
    const pet = await stockedPet(4);
    const order = await orderOf(pet, 1);
    await app.services.orders.advance(order.id, 'payment_confirmed');
    await app.services.orders.advance(order.id, 'preparing_shipment');
    const cancelled = await expectMatchesSpec('cancelOrder', await cancelOrder(order.id), 200);
    expect(statuses(cancelled)).toEqual([
      'payment_processing',
      'payment_confirmed',
      'preparing_shipment',
      'cancelled',
    ]);
    expect(await stockOf(pet.id)).toBe(4);
  });

  it('refuses to cancel an order that has shipped with 409, and the stock stays taken', async () => {
    const pet = await stockedPet(4);
    const order = await orderOf(pet, 3);
    for (const next of ['payment_confirmed', 'preparing_shipment', 'shipped'] as const) {
      await app.services.orders.advance(order.id, next);
    }
    const shipped = await getOrder(order.id);
    const problem = await expectMatchesSpec('cancelOrder', await cancelOrder(order.id), 409);
    expect(problem.detail).toContain('shipped');
    expect(await getOrder(order.id)).toEqual(shipped);
    expect(await stockOf(pet.id)).toBe(1);
  });

  it('refuses to cancel an order twice with 409, returning the stock only once', async () => {
    const pet = await stockedPet(4);
    const order = await orderOf(pet, 2);
    const cancelled = await expectMatchesSpec('cancelOrder', await cancelOrder(order.id), 200);
    await expectMatchesSpec('cancelOrder', await cancelOrder(order.id), 409);
    expect(await stockOf(pet.id)).toBe(4);
    expect(await getOrder(order.id)).toEqual(cancelled);
  });

  it('answers 404 for a well-formed UUIDv7 that no order has', async () => {
    const id = uuidv7();
    const problem = await expectMatchesSpec('cancelOrder', await cancelOrder(id), 404);
    expect(problem.detail).toContain(id);
  });
});

describe('GET /v1/users/{userId}', () => {
  it('returns the user with their preferences and the pets they liked, oldest like first', async () => {
    const seed = seedUser('user-123');
    const idOf = new Map((await catalog()).map((pet) => [pet.name, pet.id]));
    expect(await getUser(seed.id)).toEqual({
      id: seed.id,
      name: seed.name,
      preferences: seed.preferences,
      likedPetIds: seed.likes.map((name) => idOf.get(name)),
    });
  });

  it('answers 404 for a well-formed user id that no user has', async () => {
    const response = await as('user-nobody')('GET', '/v1/users/user-nobody');
    const problem = await expectMatchesSpec('getUser', response, 404);
    expect(problem.detail).toContain('user-nobody');
  });
});

describe('PUT /v1/users/{userId}/preferences', () => {
  it('replaces the preferences as a whole: fields left out are gone, not kept', async () => {
    const before = await getUser('user-789');
    expect(before.preferences.species).toBeDefined();
    const preferences = { sizes: ['large'], minAgeMonths: 3, maxAgeMonths: 48 };
    const after = await expectMatchesSpec(
      'putPreferences',
      await putPreferences('user-789', preferences),
      200,
    );
    expect(after).toEqual({ ...before, preferences });
    expect(await getUser('user-789')).toEqual(after);
  });

  it('clears every preference when given an empty object', async () => {
    const after = await expectMatchesSpec('putPreferences', await putPreferences('user-321', {}), 200);
    expect(after.preferences).toEqual({});
    expect((await getUser('user-321')).preferences).toEqual({});
  });

  it.each([
    ['an unknown species', '/species/0', { species: ['dragon'] }],
    ['a size given twice', '/sizes', { sizes: ['small', 'small'] }],
    ['a maximum price in fractions of a cent', '/maxPrice', { maxPrice: 1.001 }],
    ['a negative age', '/minAgeMonths', { minAgeMonths: -1 }],
    ['a property the schema does not have', '/colour', { colour: 'red' }],
    ['a list instead of an object', '', ['cat']],
  ])('refuses %s with a 400 naming "%s" and keeps the preferences', async (_case, pointer, body) => {
    const before = await getUser('user-456');
    const problem = await expectMatchesSpec('putPreferences', await putPreferences('user-456', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await getUser('user-456')).toEqual(before);
  });

  it('answers 404 for a well-formed user id that no user has', async () => {
    const response = await putPreferences('user-nobody', { species: ['cat'] });
    await expectMatchesSpec('putPreferences', response, 404);
  });
});

describe('POST /v1/users/{userId}/likes', () => {
  it('adds a like, and liking the same pet again keeps a single like', async () => {
    const [first, second] = await app.store.pets.all();
    const once = await expectMatchesSpec('likePet', await like('user-654', { petId: first!.id }), 200);
    expect(once.likedPetIds).toEqual([first!.id]);
    const twice = await expectMatchesSpec('likePet', await like('user-654', { petId: first!.id }), 200);
    expect(twice).toEqual(once);
    const other = await expectMatchesSpec('likePet', await like('user-654', { petId: second!.id }), 200);
    expect(other.likedPetIds).toEqual([first!.id, second!.id]);
    expect(await getUser('user-654')).toEqual(other);
  });

  it('answers 404 for a well-formed pet id that no pet has, and adds no like', async () => {
    const before = await getUser('user-999');
    const id = uuidv7();
    const problem = await expectMatchesSpec('likePet', await like('user-999', { petId: id }), 404);
    expect(problem.detail).toContain(id);
    expect(await getUser('user-999')).toEqual(before);
  });

  it('answers 404 for a well-formed user id that no user has', async () => {
    const [pet] = await app.store.pets.all();
    await expectMatchesSpec('likePet', await like('user-nobody', { petId: pet!.id }), 404);
  });

  it.each([
    ['no pet id', '/petId', {}],
    ['a pet id that is not a UUIDv7', '/petId', { petId: 'Whiskers' }],
    ['a pet id in upper case', '/petId', { petId: '0193A5B2-7C1E-7D3A-9F2B-4C5D6E7F8A90' }],
    ['a property the schema does not have', '/note', { petId: uuidv7(), note: 'so cute' }],
  ])('refuses a like with %s with a 400 naming "%s"', async (_case, pointer, body) => {
    const before = await getUser('user-999');
    const problem = await expectMatchesSpec('likePet', await like('user-999', body), 400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await getUser('user-999')).toEqual(before);
  });
});
