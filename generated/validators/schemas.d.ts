// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

export interface ValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
/** A precompiled Ajv validator: returns whether `data` is valid and leaves the reasons in `errors`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ValidationError[] | null;
}
export declare const ChatCompletionChunk: ValidateFunction;
export declare const ChatCompletionDone: ValidateFunction;
export declare const ChatCompletionId: ValidateFunction;
export declare const ChatFinishReason: ValidateFunction;
export declare const ChatModel: ValidateFunction;
export declare const OrderCancelled: ValidateFunction;
export declare const OrderComplete: ValidateFunction;
export declare const OrderShipped: ValidateFunction;
export declare const OrderStatusUpdate: ValidateFunction;
export declare const PetId: ValidateFunction;
export declare const Price: ValidateFunction;
export declare const PriceChange: ValidateFunction;
export declare const Recommendation: ValidateFunction;
export declare const RecommendationsComplete: ValidateFunction;
export declare const Stock: ValidateFunction;
export declare const StockChange: ValidateFunction;
export declare const StreamError: ValidateFunction;
export declare const StreamReset: ValidateFunction;
export declare const Timestamp: ValidateFunction;
export declare const TrackingNumber: ValidateFunction;
export declare const ChatCompletion: ValidateFunction;
export declare const ChatCompletionRequest: ValidateFunction;
export declare const ChatMessage: ValidateFunction;
export declare const ChatRole: ValidateFunction;
export declare const DevToken: ValidateFunction;
export declare const DevTokenRequest: ValidateFunction;
export declare const FieldError: ValidateFunction;
export declare const InventoryItem: ValidateFunction;
export declare const InventoryList: ValidateFunction;
export declare const InventoryUpdate: ValidateFunction;
export declare const Like: ValidateFunction;
export declare const Order: ValidateFunction;
export declare const OrderCreate: ValidateFunction;
export declare const OrderId: ValidateFunction;
export declare const OrderStatus: ValidateFunction;
export declare const OrderStatusChange: ValidateFunction;
export declare const Pet: ValidateFunction;
export declare const PetCreate: ValidateFunction;
export declare const PetList: ValidateFunction;
export declare const PetSize: ValidateFunction;
export declare const PetUpdate: ValidateFunction;
export declare const Preferences: ValidateFunction;
export declare const Problem: ValidateFunction;
export declare const Scope: ValidateFunction;
export declare const Species: ValidateFunction;
export declare const StreamTicket: ValidateFunction;
export declare const StreamTicketRequest: ValidateFunction;
export declare const Trait: ValidateFunction;
export declare const User: ValidateFunction;
export declare const UserId: ValidateFunction;
export declare const EventId: ValidateFunction;
export declare const Health: ValidateFunction;
export declare const RecommendationsStreamData: ValidateFunction;
export declare const OrderStatusStreamData: ValidateFunction;
export declare const InventoryStreamData: ValidateFunction;
export declare const ChatCompletionsStreamData: ValidateFunction;
export declare const getOpenApiResponse200: ValidateFunction;
export declare const headGetOpenApiResponse200: ValidateFunction;
export declare const getOpenApi32Response200: ValidateFunction;
export declare const headGetOpenApi32Response200: ValidateFunction;
export declare const getAsyncApiResponse200: ValidateFunction;
export declare const headGetAsyncApiResponse200: ValidateFunction;
