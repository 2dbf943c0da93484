// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

export interface ChatCompletionChunk {
  'id': string;
  'object': 'chat.completion.chunk';
  'created': number;
  'model': ChatModel;
  'choices': ChatCompletionChunkChoice[];
}

export interface ChatCompletionChunkChoice {
  'index': number;
  'delta': ChatCompletionDelta;
  'finishReason': ChatFinishReason | null;
}

export interface ChatCompletionDelta {
  'role'?: 'assistant';
  'content'?: string;
}

export type ChatCompletionDone = "[DONE]";

export type ChatCompletionsStream = ChatCompletionChunk | ChatCompletionDone | StreamError;

export type ChatFinishReason = "stop" | "length" | "content_filter";

export type ChatModel = "PET_ADVISOR_1" | "PET_ADVISOR_TURBO";

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

export type StreamErrorCode = "invalid_frame" | "internal_error" | "unavailable" | "shutting_down" | "credential_expired";

export interface StreamReset {
  'reason': StreamResetReason;
  'lastEventId': string;
  'detail': string;
}

export type StreamResetReason = "unknown_id" | "expired_id" | "other_generation";
