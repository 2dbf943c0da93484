import type { Recommendation } from '../../../generated/models.js';
import type { Pet, RecommendationRequest, Recommender } from './Recommender.js';
import { scorePet } from './scorePet.js';

/** Where the recommender reads the catalog (pets in stock). */
export interface CatalogSource {
  all(): Promise<Pet[]>;
}

interface Ranked {
  pet: Pet;
  score: number;
  reason: string;
}

/** Highest score first; ties go to the cheaper pet, then the older id, so the order is deterministic. */
const before = (a: Ranked, b: Ranked): boolean =>
  a.score !== b.score
    ? a.score > b.score
    : a.pet.price !== b.pet.price
      ? a.pet.price < b.pet.price
      : a.pet.id < b.pet.id;

/** A binary max-heap: the next best candidate comes out in O(log n), so each is ranked when it is asked for. */
class RankHeap {
  readonly #items: Ranked[] = [];
  get size(): number {
    return this.#items.length;
  }
  push(item: Ranked): void {
    const items = this.#items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): Ranked | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && before(items[left]!, items[best]!)) best = left;
        if (right < items.length && before(items[right]!, items[best]!)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

const FALLBACK_REASON = 'Available now and a good all-round match';

/**
 * The built-in recommender: scores every pet in stock that the user has not liked yet with `scorePet`, then
 * yields them best first, each with the reasons that matched.
 */
export function contentBasedRecommender(catalog: CatalogSource): Recommender {
  return {
    async *recommend({
      user,
      limit,
      exclude,
      signal,
    }: RecommendationRequest): AsyncGenerator<Recommendation> {
      const pets = await catalog.all();
      const liked = pets.filter((pet) => user.likedPetIds.includes(pet.id));
      const heap = new RankHeap();
      for (const pet of pets) {
        if (pet.stock === 0 || user.likedPetIds.includes(pet.id) || exclude.has(pet.id)) continue;
        const { score, matches } = scorePet(pet, user.preferences, liked);
        const reason =
          matches
            .slice(0, 2)
            .map((match) => match.reason)
            .join('; ') || FALLBACK_REASON;
        heap.push({ pet, score, reason: reason.slice(0, 500) });
      }
      for (let sent = 0; sent < limit && heap.size > 0 && !signal.aborted; sent++) {
        const next = heap.pop()!;
        yield { petId: next.pet.id, name: next.pet.name, score: next.score, reason: next.reason };
      }
    },
  };
}
