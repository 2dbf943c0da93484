// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

export type InventoryStream = StockChange | PriceChange | StreamReset | StreamError;

export interface OrderComplete {
  'status': OrderFinalStatus;
  'trackingNumber'?: string;
  'timestamp': string;
}

export type OrderFinalStatus = "shipped" | "cancelled";

export type OrderProgressStatus = "payment_processing" | "payment_confirmed" | "preparing_shipment";

export type OrderStatusStream = OrderStatusUpdate | OrderComplete | StreamReset | StreamError;

export interface OrderStatusUpdate {
  'status': OrderProgressStatus;
  'timestamp': string;
}

export interface PriceChange {
  'petId': string;
  'oldPrice': number;
  'newPrice': number;
  'timestamp': string;
}

export interface Recommendation {
  'petId': string;
  'name': string;
  'score': number;
  'reason': string;
}

export interface RecommendationsComplete {
  'total': number;
  'processingTime': number;
}

export type RecommendationsStream = Recommendation | RecommendationsComplete | StreamReset | StreamError;

export interface StockChange {
  'petId': string;
  'oldStock': number;
  'newStock': number;
  'timestamp': string;
}

export interface StreamError {
  'code': StreamErrorCode;
  'message': string;
}

export type StreamErrorCode = "invalid_frame" | "internal_error" | "unavailable" | "shutting_down";

export interface StreamReset {
  'reason': StreamResetReason;
  'lastEventId': string;
  'detail': string;
}

export type StreamResetReason = "unknown_id" | "expired_id";
