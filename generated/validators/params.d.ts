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
export declare const listPetsQuery: ValidateFunction;
export declare const createPetQuery: ValidateFunction;
export declare const getPetQuery: ValidateFunction;
export declare const getPetParams: ValidateFunction;
export declare const updatePetQuery: ValidateFunction;
export declare const updatePetParams: ValidateFunction;
export declare const streamRecommendationsQuery: ValidateFunction;
export declare const listInventoryQuery: ValidateFunction;
export declare const updateInventoryQuery: ValidateFunction;
export declare const updateInventoryParams: ValidateFunction;
export declare const streamInventoryQuery: ValidateFunction;
export declare const createOrderQuery: ValidateFunction;
export declare const getOrderQuery: ValidateFunction;
export declare const getOrderParams: ValidateFunction;
export declare const cancelOrderQuery: ValidateFunction;
export declare const cancelOrderParams: ValidateFunction;
export declare const streamOrderStatusQuery: ValidateFunction;
export declare const streamOrderStatusParams: ValidateFunction;
export declare const getUserQuery: ValidateFunction;
export declare const getUserParams: ValidateFunction;
export declare const putPreferencesQuery: ValidateFunction;
export declare const putPreferencesParams: ValidateFunction;
export declare const likePetQuery: ValidateFunction;
export declare const likePetParams: ValidateFunction;
export declare const createStreamTicketQuery: ValidateFunction;
export declare const createDevTokenQuery: ValidateFunction;
export declare const createChatCompletionQuery: ValidateFunction;
