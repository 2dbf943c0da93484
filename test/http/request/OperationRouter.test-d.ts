import { describe, expectTypeOf, it } from 'vitest';
import type { components } from '../../../generated/openapi.js';
import { OperationRouter } from '../../../src/http/request/OperationRouter.js';
import type { OperationRequest } from '../../../src/http/request/operationTypes.js';

type Schemas = components['schemas'];
declare const pet: Schemas['Pet'];
declare const order: Schemas['Order'];
const router = new OperationRouter();

describe('a route typed from its operationId', () => {
  it('gets its path parameters, query and body from the spec', () => {
    router.on('getPet', async ({ params, query, body }) => {
      expectTypeOf(params).toEqualTypeOf<{ petId: Schemas['PetId'] }>();
      expectTypeOf(query).toEqualTypeOf<OperationRequest<'getPet'>['query']>();
      expectTypeOf(body).toEqualTypeOf<undefined>();
      return { status: 200, body: pet };
    });
    router.on('listPets', async ({ query }) => {
      // Filled with its default by the validator, so always there.
      expectTypeOf(query.limit).toEqualTypeOf<number>();
      expectTypeOf(query.species).toEqualTypeOf<Schemas['Species'] | undefined>();
      return { status: 200, body: { items: [pet], total: 1, limit: query.limit, offset: query.offset } };
    });
    router.on('createOrder', async ({ body }) => {
      expectTypeOf(body).toEqualTypeOf<Schemas['OrderCreate']>();
      return { status: 201, body: order, headers: { Location: '/elsewhere' } };
    });
    router.on('streamOrderStatus', async ({ params, query }) => {
      expectTypeOf(params.orderId).toEqualTypeOf<Schemas['OrderId']>();
      // The stream ticket is a query credential (an apiKey security scheme), checked by authentication.
      expectTypeOf(query.ticket).toEqualTypeOf<string | undefined>();
    });
  });

  it('does not compile with a parameter, a body field or a query parameter the operation lacks', () => {
    // @ts-expect-error getPet's path has petId, not orderId
    router.on('getPet', async ({ params }) => ({ status: 200, body: { ...pet, id: params.orderId } }));
    // @ts-expect-error PetCreate has no `nickname`
    router.on('createPet', async ({ body }) => ({ status: 201, body: { ...pet, name: body.nickname } }));
    // @ts-expect-error streamInventory's query has petId and lastEventId only
    router.on('streamInventory', async ({ query }) => void query.userId);
  });

  it('does not compile with an answer the operation does not declare', () => {
    // @ts-expect-error a Pet's id is a string
    router.on('getPet', async () => ({ status: 200, body: { ...pet, id: 7 } }));
    // @ts-expect-error getPet answers a Pet, not an Order
    router.on('getPet', async () => ({ status: 200, body: order }));
    // @ts-expect-error getPet declares no 201
    router.on('getPet', async () => ({ status: 201, body: pet }));
    // @ts-expect-error a JSON operation must answer; only a stream answers by itself
    router.on('getPet', async () => {});
  });

  it('does not compile for an operationId the spec does not have', () => {
    // @ts-expect-error no such operation
    router.on('getPets', async () => ({ status: 200, body: pet }));
  });
});
