// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

/** The operations that take an `Idempotency-Key` header, by operationId: method and OpenAPI path template. */
export const idempotentWrites = {
  createPet: { method: 'POST', path: '/v1/pets' },
  updatePet: { method: 'PATCH', path: '/v1/pets/{petId}' },
  updateInventory: { method: 'PATCH', path: '/v1/inventory/{petId}' },
  createOrder: { method: 'POST', path: '/v1/orders' },
  cancelOrder: { method: 'POST', path: '/v1/orders/{orderId}/cancel' },
  likePet: { method: 'POST', path: '/v1/users/{userId}/likes' },
} as const;

/** The operationId of an operation that takes an `Idempotency-Key` header. */
export type IdempotentWrite = keyof typeof idempotentWrites;
