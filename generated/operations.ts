// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

import * as params from './validators/params.js';
import * as schemas from './validators/schemas.js';

/**
 * Each OpenAPI operation: method, path (OpenAPI template), validators for query and path parameters
 * (these coerce strings to numbers and fill defaults in place), the JSON body, and each response body
 * by status (for a stream, the schema of one parsed frame).
 */
export const operations = {
  listPets: {
    method: 'GET',
    path: '/v1/pets',
    query: params.listPetsQuery,
    bodyRequired: false,
    responses: {
      '200': schemas.PetList,
      '400': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  createPet: {
    method: 'POST',
    path: '/v1/pets',
    body: schemas.PetCreate,
    bodyRequired: true,
    responses: {
      '201': schemas.Pet,
      '400': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  getPet: {
    method: 'GET',
    path: '/v1/pets/{petId}',
    params: params.getPetParams,
    bodyRequired: false,
    responses: {
      '200': schemas.Pet,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  updatePet: {
    method: 'PATCH',
    path: '/v1/pets/{petId}',
    params: params.updatePetParams,
    body: schemas.PetUpdate,
    bodyRequired: true,
    responses: {
      '200': schemas.Pet,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  streamRecommendations: {
    method: 'GET',
    path: '/v1/pets/recommendations/stream',
    query: params.streamRecommendationsQuery,
    bodyRequired: false,
    channel: 'recommendationsStream',
    responses: {
      '200': schemas.RecommendationsStreamFrame,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  listInventory: {
    method: 'GET',
    path: '/v1/inventory',
    bodyRequired: false,
    responses: {
      '200': schemas.InventoryList,
      '400': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  updateInventory: {
    method: 'PATCH',
    path: '/v1/inventory/{petId}',
    params: params.updateInventoryParams,
    body: schemas.InventoryUpdate,
    bodyRequired: true,
    responses: {
      '200': schemas.InventoryItem,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  streamInventory: {
    method: 'GET',
    path: '/v1/inventory/stream',
    query: params.streamInventoryQuery,
    bodyRequired: false,
    channel: 'inventoryStream',
    responses: {
      '200': schemas.InventoryStreamFrame,
      '400': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  createOrder: {
    method: 'POST',
    path: '/v1/orders',
    body: schemas.OrderCreate,
    bodyRequired: true,
    responses: {
      '201': schemas.Order,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '409': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  getOrder: {
    method: 'GET',
    path: '/v1/orders/{orderId}',
    params: params.getOrderParams,
    bodyRequired: false,
    responses: {
      '200': schemas.Order,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  cancelOrder: {
    method: 'POST',
    path: '/v1/orders/{orderId}/cancel',
    params: params.cancelOrderParams,
    bodyRequired: false,
    responses: {
      '200': schemas.Order,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '409': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  streamOrderStatus: {
    method: 'GET',
    path: '/v1/orders/{orderId}/status/stream',
    query: params.streamOrderStatusQuery,
    params: params.streamOrderStatusParams,
    bodyRequired: false,
    channel: 'orderStatusStream',
    responses: {
      '200': schemas.OrderStatusStreamFrame,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  getUser: {
    method: 'GET',
    path: '/v1/users/{userId}',
    params: params.getUserParams,
    bodyRequired: false,
    responses: {
      '200': schemas.User,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  putPreferences: {
    method: 'PUT',
    path: '/v1/users/{userId}/preferences',
    params: params.putPreferencesParams,
    body: schemas.Preferences,
    bodyRequired: true,
    responses: {
      '200': schemas.User,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  likePet: {
    method: 'POST',
    path: '/v1/users/{userId}/likes',
    params: params.likePetParams,
    body: schemas.Like,
    bodyRequired: true,
    responses: {
      '200': schemas.User,
      '400': schemas.Problem,
      '404': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
    },
  },
  createChatCompletion: {
    method: 'POST',
    path: '/v1/chat/completions',
    body: schemas.ChatCompletionRequest,
    bodyRequired: true,
    channel: 'chatCompletionsStream',
    responses: {
      '200': schemas.ChatCompletion,
      '400': schemas.Problem,
      '429': schemas.Problem,
      '431': schemas.Problem,
      '502': schemas.Problem,
    },
  },
  getHealth: {
    method: 'GET',
    path: '/healthz',
    bodyRequired: false,
    responses: {
      '200': schemas.Health,
    },
  },
  getReadiness: {
    method: 'GET',
    path: '/readyz',
    bodyRequired: false,
    responses: {
      '200': schemas.Health,
      '503': schemas.Problem,
    },
  },
  getMetrics: {
    method: 'GET',
    path: '/metrics',
    bodyRequired: false,
    responses: {
    },
  },
} as const;

export type OperationId = keyof typeof operations;
