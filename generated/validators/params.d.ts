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
export declare const headListPetsQuery: ValidateFunction;
export declare const getPetQuery: ValidateFunction;
export declare const getPetParams: ValidateFunction;
export declare const updatePetQuery: ValidateFunction;
export declare const updatePetParams: ValidateFunction;
export declare const headGetPetQuery: ValidateFunction;
export declare const headGetPetParams: ValidateFunction;
export declare const optionsPetsByPetIdParams: ValidateFunction;
export declare const streamRecommendationsQuery: ValidateFunction;
export declare const headStreamRecommendationsQuery: ValidateFunction;
export declare const listInventoryQuery: ValidateFunction;
export declare const headListInventoryQuery: ValidateFunction;
export declare const updateInventoryQuery: ValidateFunction;
export declare const updateInventoryParams: ValidateFunction;
export declare const optionsInventoryByPetIdParams: ValidateFunction;
export declare const streamInventoryQuery: ValidateFunction;
export declare const headStreamInventoryQuery: ValidateFunction;
export declare const createOrderQuery: ValidateFunction;
export declare const getOrderQuery: ValidateFunction;
export declare const getOrderParams: ValidateFunction;
export declare const headGetOrderQuery: ValidateFunction;
export declare const headGetOrderParams: ValidateFunction;
export declare const optionsOrdersByOrderIdParams: ValidateFunction;
export declare const cancelOrderQuery: ValidateFunction;
export declare const cancelOrderParams: ValidateFunction;
export declare const optionsOrdersByOrderIdCancelParams: ValidateFunction;
export declare const streamOrderStatusQuery: ValidateFunction;
export declare const streamOrderStatusParams: ValidateFunction;
export declare const headStreamOrderStatusQuery: ValidateFunction;
export declare const headStreamOrderStatusParams: ValidateFunction;
export declare const optionsOrdersByOrderIdStatusStreamParams: ValidateFunction;
export declare const getUserQuery: ValidateFunction;
export declare const getUserParams: ValidateFunction;
export declare const headGetUserQuery: ValidateFunction;
export declare const headGetUserParams: ValidateFunction;
export declare const optionsUsersByUserIdParams: ValidateFunction;
export declare const putPreferencesQuery: ValidateFunction;
export declare const putPreferencesParams: ValidateFunction;
export declare const optionsUsersByUserIdPreferencesParams: ValidateFunction;
export declare const likePetQuery: ValidateFunction;
export declare const likePetParams: ValidateFunction;
export declare const optionsUsersByUserIdLikesParams: ValidateFunction;
export declare const createStreamTicketQuery: ValidateFunction;
export declare const createDevTokenQuery: ValidateFunction;
export declare const createChatCompletionQuery: ValidateFunction;
export declare const getDocsPageParams: ValidateFunction;
export declare const headGetDocsPageParams: ValidateFunction;
export declare const optionsDocsByPageParams: ValidateFunction;
export declare const getDocsConsolePageParams: ValidateFunction;
export declare const headGetDocsConsolePageParams: ValidateFunction;
export declare const optionsDocsConsoleByPageParams: ValidateFunction;
export declare const getDemoFileParams: ValidateFunction;
export declare const headGetDemoFileParams: ValidateFunction;
export declare const optionsDemoByFileParams: ValidateFunction;
