import { describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { contentBasedRecommender, scorePet, similarity } from '../../src/domain/recommendations/index.js';

type Pet = components['schemas']['Pet'];

let counter = 0;
const pet = (overrides: Partial<Pet>): Pet => {
  counter += 1;
  return {
    id: `0193a5b2-7c1e-7d3a-9f2b-${String(counter).padStart(12, '0')}`,
    name: `Pet ${counter}`,
    species: 'dog',
    breed: 'Mixed',
    size: 'medium',
    ageMonths: 24,
    traits: [],
    description: '',
    price: 100,
    stock: 1,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
};

describe('scorePet', () => {
  it('scores a pet that matches every preference at 1 and names each match', () => {
    const cat = pet({ species: 'cat', size: 'small', ageMonths: 12, traits: ['calm'], price: 50 });
    const result = scorePet(
      cat,
      { species: ['cat'], sizes: ['small'], maxAgeMonths: 24, traits: ['calm'], maxPrice: 100 },
      [cat],
    );
    expect(result.score).toBe(1);
    expect(result.matches.map((m) => m.reason)).toEqual(
      expect.arrayContaining([
        'Matches your preference for cats',
        'Has the traits you asked for: calm',
        'Fits your preferred size (small)',
        'Within your budget of $100',
      ]),
    );
  });

  it('scores a pet that matches nothing at 0 with no reasons', () => {
    const dog = pet({ species: 'dog', size: 'large', ageMonths: 200, traits: ['energetic'], price: 5000 });
    const liked = pet({ species: 'fish', size: 'small', ageMonths: 1, traits: ['quiet'] });
    const result = scorePet(
      dog,
      { species: ['cat'], sizes: ['small'], maxAgeMonths: 12, traits: ['calm'], maxPrice: 100 },
      [liked],
    );
    expect(result.score).toBe(0);
    expect(result.matches).toEqual([]);
  });

  it('ranks a preferred species above the same pet of another species', () => {
    const preferences = { species: ['cat' as const] };
    expect(scorePet(pet({ species: 'cat' }), preferences, []).score).toBeGreaterThan(
      scorePet(pet({ species: 'dog' }), preferences, []).score,
    );
  });

  it('gives neutral half weight where the user has no preference', () => {
    expect(scorePet(pet({}), {}, []).score).toBe(0.5);
  });

  it('says which liked pet a recommendation resembles', () => {
    const liked = pet({ name: 'Whiskers', species: 'cat', traits: ['calm'] });
    const result = scorePet(pet({ species: 'cat', traits: ['calm'] }), {}, [liked]);
    expect(result.matches[0]?.reason).toBe('Similar to Whiskers, whom you liked');
  });

  it('measures similarity as shared features over all features', () => {
    const a = pet({ species: 'cat', size: 'small', ageMonths: 12, traits: ['calm', 'quiet'] });
    expect(similarity(a, a)).toBe(1);
    expect(similarity(a, pet({ species: 'cat', size: 'small', ageMonths: 12, traits: [] }))).toBeCloseTo(
      3 / 5,
    );
  });
});

describe('contentBasedRecommender', () => {
  it('yields pets in stock, not yet liked, best first, deterministic on ties', async () => {
    const best = pet({ species: 'cat', price: 10 });
    const tieCheap = pet({ species: 'cat', price: 20 });
    const tieDear = pet({ species: 'cat', price: 30 });
    const soldOut = pet({ species: 'cat', stock: 0 });
    const liked = pet({ species: 'cat', size: 'small' });
    const other = pet({ species: 'dog' });
    const recommender = contentBasedRecommender({
      all: async () => [other, tieDear, soldOut, liked, tieCheap, best],
    });
    const user = {
      id: 'u',
      name: 'U',
      preferences: { species: ['cat' as const], maxPrice: 15 },
      likedPetIds: [liked.id],
    };
    const out = [];
    for await (const r of recommender.recommend({
      user,
      limit: 10,
      exclude: new Set(),
      signal: new AbortController().signal,
    }))
      out.push(r.petId);
    expect(out).toEqual([best.id, tieCheap.id, tieDear.id, other.id]);
  });
});
