/**
 * The contract's own types, for code that holds what the client returns: the AsyncAPI payloads
 * (`StockChange`, `Recommendation`…), every OpenAPI schema as `Schemas['Pet']`, and the raw `paths` and
 * `components` the typed calls are made from.
 */

export type { ChannelEvents, ChannelId } from '../../../generated/events.js';
export type * from '../../../generated/models.js';
export type { components, paths } from '../../../generated/openapi.js';

import type { components } from '../../../generated/openapi.js';

/** Every schema of the OpenAPI document by name, e.g. `Schemas['Pet']` or `Schemas['InventoryItem']`. */
export type Schemas = components['schemas'];
