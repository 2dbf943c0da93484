import type { Recommendation } from '../../../generated/models.js';
import type { components } from '../../../generated/openapi.js';

export type Pet = components['schemas']['Pet'];
export type User = components['schemas']['User'];

/** What a recommender needs to know about one request. */
export interface RecommendationRequest {
  user: User;
  /** At most this many recommendations. */
  limit: number;
  /** Pets already sent for this run (a resumed stream): never recommend them again. */
  exclude: ReadonlySet<string>;
  /** Aborted when the client goes away: stop work at once. */
  signal: AbortSignal;
}

/**
 * Produces recommendations one at a time, best first, as they are ranked. The content-based model ranks in
 * memory; a slower model (an LLM behind an HTTP call) implements the same interface and yields as it goes.
 */
export interface Recommender {
  recommend(request: RecommendationRequest): AsyncIterable<Recommendation>;
}
