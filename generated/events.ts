// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

import type { ChatCompletionChunk, ChatCompletionDone, OrderComplete, OrderStatusUpdate, PriceChange, Recommendation, RecommendationsComplete, StockChange, StreamError, StreamReset } from './models.js';

/** Events of `/v1/pets/recommendations/stream`; every frame is named. */
export type RecommendationsStreamEvents = {
  recommendation: Recommendation;
  complete: RecommendationsComplete;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Events of `/v1/orders/{orderId}/status/stream`; unnamed frames (no `event:` line): `message`. */
export type OrderStatusStreamEvents = {
  message: OrderStatusUpdate;
  complete: OrderComplete;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Events of `/v1/inventory/stream`; every frame is named. */
export type InventoryStreamEvents = {
  'stock-change': StockChange;
  'price-change': PriceChange;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Events of `/v1/chat/completions`; unnamed frames (no `event:` line): `chunk`, `done`; data written as is, not JSON: `done`. */
export type ChatCompletionsStreamEvents = {
  chunk: ChatCompletionChunk;
  done: ChatCompletionDone;
  'stream-error': StreamError;
};

/** Every channel id and its event map. */
export type ChannelEvents = {
  recommendationsStream: RecommendationsStreamEvents;
  orderStatusStream: OrderStatusStreamEvents;
  inventoryStream: InventoryStreamEvents;
  chatCompletionsStream: ChatCompletionsStreamEvents;
};

export type ChannelId = keyof ChannelEvents;
