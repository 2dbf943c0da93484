export { type CatalogSource, contentBasedRecommender } from './contentBasedRecommender.js';
export type { Pet, RecommendationRequest, Recommender, User } from './Recommender.js';
export {
  openRecommendationFeed,
  type RecommendationFeed,
} from './recommendationFeed.js';
export { type PetScore, scorePet, similarity, WEIGHTS } from './scorePet.js';
