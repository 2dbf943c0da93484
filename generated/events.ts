// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

import type { OrderComplete, OrderStatusUpdate, PriceChange, Recommendation, RecommendationsComplete, StockChange, StreamError, StreamReset } from './models.js';

/** Events of `/v1/pets/recommendations/stream`; the key `message` is an unnamed frame. */
export type RecommendationsStreamEvents = {
  recommendation: Recommendation;
  complete: RecommendationsComplete;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Events of `/v1/orders/{orderId}/status/stream`; the key `message` is an unnamed frame. */
export type OrderStatusStreamEvents = {
  message: OrderStatusUpdate;
  complete: OrderComplete;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Events of `/v1/inventory/stream`; the key `message` is an unnamed frame. */
export type InventoryStreamEvents = {
  'stock-change': StockChange;
  'price-change': PriceChange;
  reset: StreamReset;
  'stream-error': StreamError;
};

/** Every channel id and its event map. */
export type ChannelEvents = {
  recommendationsStream: RecommendationsStreamEvents;
  orderStatusStream: OrderStatusStreamEvents;
  inventoryStream: InventoryStreamEvents;
};

export type ChannelId = keyof ChannelEvents;
