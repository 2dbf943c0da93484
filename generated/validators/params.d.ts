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
export declare const getPetParams: ValidateFunction;
export declare const updatePetParams: ValidateFunction;
export declare const streamRecommendationsQuery: ValidateFunction;
export declare const updateInventoryParams: ValidateFunction;
export declare const streamInventoryQuery: ValidateFunction;
export declare const getOrderParams: ValidateFunction;
export declare const cancelOrderParams: ValidateFunction;
export declare const streamOrderStatusQuery: ValidateFunction;
export declare const streamOrderStatusParams: ValidateFunction;
export declare const getUserParams: ValidateFunction;
export declare const putPreferencesParams: ValidateFunction;
export declare const likePetParams: ValidateFunction;
