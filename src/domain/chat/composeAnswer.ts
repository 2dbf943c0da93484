import type { components } from '../../../generated/openapi.js';
import { type Pet, scorePet } from '../recommendations/index.js';
import { kindPhrase, label, listPhrase, price, profile, stockPhrase, traitPhrase } from './petPhrases.js';
import type { Question } from './readQuestion.js';

type Preferences = components['schemas']['Preferences'];

/** How much an answer says: `full` for PET_ADVISOR_1, `brief` for PET_ADVISOR_TURBO. */
export type Detail = 'full' | 'brief';

const LIMITS = { full: { list: 12, fit: 5 }, brief: { list: 3, fit: 3 } } as const;

/** The pets a question narrows the catalog to: its species, sizes and budget, and every trait it asks for. */
function selected(question: Question, catalog: readonly Pet[]): Pet[] {
  return catalog.filter(
    (pet) =>
      (question.species.length === 0 || question.species.includes(pet.species)) &&
      (question.sizes.length === 0 || question.sizes.includes(pet.size)) &&
      (question.maxPrice === undefined || pet.price <= question.maxPrice) &&
      question.traits.every((trait) => pet.traits.includes(trait)),
  );
}

const traitsPhrase = (question: Question): string => listPhrase(question.traits.map(traitPhrase));
const budgetPhrase = (question: Question): string =>
  question.maxPrice === undefined ? '' : ` under $${question.maxPrice}`;

/** `small cats that are calm and good with kids under $300` */
function what(question: Question): string {
  const traits = question.traits.length > 0 ? ` that are ${traitsPhrase(question)}` : '';
  return `${kindPhrase(question.species, question.sizes)}${traits}${budgetPhrase(question)}`;
}

function more(shown: number, total: number): string {
  return total > shown ? `, and ${total - shown} more` : '';
}

function overview(catalog: readonly Pet[], detail: Detail): string {
  const inStock = catalog.filter((pet) => pet.stock > 0).length;
  const species = new Set(catalog.map((pet) => pet.species)).size;
  if (detail === 'brief')
    return `${inStock} of our ${catalog.length} pets are in stock. Ask me what fits your home, what a pet costs, or what is in stock.`;
  return (
    `I am the pet store's advisor. The catalog has ${catalog.length} pets across ${species} species, and ` +
    `${inStock} of them are in stock right now. Ask me which pets fit your home (for example "Which pets are ` +
    `good for a family with kids?"), what a pet costs, or what is in stock.`
  );
}

function prices(question: Question, catalog: readonly Pet[], detail: Detail): string {
  if (question.pets.length > 0) {
    return question.pets
      .map((pet) =>
        detail === 'brief'
          ? `${pet.name}: ${price(pet)}.`
          : `${label(pet)} costs ${price(pet)}, and ${stockPhrase(pet)}.`,
      )
      .join('\n');
  }
  const inStock = selected(question, catalog).filter((pet) => pet.stock > 0);
  if (inStock.length === 0) return `No ${what(question)} are in stock right now.`;
  const byPrice = [...inStock].sort((a, b) => a.price - b.price || (a.id < b.id ? -1 : 1));
  if (question.extreme) {
    const pet = question.extreme === 'cheapest' ? byPrice[0]! : byPrice.at(-1)!;
    const which = question.extreme === 'cheapest' ? 'cheapest' : 'most expensive';
    return `The ${which} of the ${what(question)} in stock is ${label(pet)} at ${price(pet)}.`;
  }
  const shown = byPrice.slice(0, LIMITS[detail].list);
  const range = `${what(question)} in stock cost from ${price(byPrice[0]!)} to ${price(byPrice.at(-1)!)}`;
  const items = shown.map((pet) => `${label(pet)} ${price(pet)}`);
  return `The ${range}. By price: ${items.join('; ')}${more(shown.length, byPrice.length)}.`;
}

function stock(question: Question, catalog: readonly Pet[], detail: Detail): string {
  if (question.pets.length > 0) {
    return question.pets
      .map((pet) =>
        pet.stock === 0
          ? `${label(pet)} is out of stock right now.`
          : `${label(pet)}: ${pet.stock} in stock at ${price(pet)}.`,
      )
      .join('\n');
  }
  const chosen = selected(question, catalog);
  const inStock = chosen.filter((pet) => pet.stock > 0);
  if (inStock.length === 0) return `No ${what(question)} are in stock right now.`;
  const units = inStock.reduce((sum, pet) => sum + pet.stock, 0);
  const head = `${inStock.length} ${what(question)} are in stock`;
  if (detail === 'brief') {
    const shown = inStock.slice(0, LIMITS.brief.list).map((pet) => pet.name);
    return `${head}: ${shown.join(', ')}${more(shown.length, inStock.length)}.`;
  }
  const items = inStock.map((pet) => `${label(pet)} (${pet.stock} at ${price(pet)})`);
  const out = chosen.filter((pet) => pet.stock === 0).map((pet) => pet.name);
  const soldOut = out.length > 0 ? `\nOut of stock right now: ${listPhrase(out)}.` : '';
  return `${head}, ${units} animals in all:\n${items.join(';\n')}.${soldOut}`;
}

function preferencesOf(question: Question): Preferences {
  return {
    ...(question.species.length > 0 ? { species: question.species } : {}),
    ...(question.sizes.length > 0 ? { sizes: question.sizes } : {}),
    ...(question.traits.length > 0 ? { traits: question.traits } : {}),
    ...(question.maxPrice !== undefined ? { maxPrice: question.maxPrice } : {}),
  };
}

/** The pets in stock that fit best, ranked by the recommender's scoring; ties go to the cheaper, then older. */
function bestFits(question: Question, catalog: readonly Pet[], detail: Detail): string {
  const narrowed = { ...question, traits: [] };
  const candidates = selected(narrowed, catalog).filter((pet) => pet.stock > 0);
  if (candidates.length === 0) return `No ${what(narrowed)} are in stock right now.`;
  const complete = candidates.filter((pet) => question.traits.every((trait) => pet.traits.includes(trait)));
  const preferences = preferencesOf(question);
  const ranked = (complete.length > 0 ? complete : candidates)
    .map((pet) => ({ pet, score: scorePet(pet, preferences, []).score }))
    .sort((a, b) => b.score - a.score || a.pet.price - b.pet.price || (a.pet.id < b.pet.id ? -1 : 1))
    .slice(0, LIMITS[detail].fit)
    .map(({ pet }) => pet);
  const kind = `${kindPhrase(question.species, question.sizes)} in stock${budgetPhrase(question)}`;
  const traits = traitsPhrase(question);
  const intro =
    complete.length === 0
      ? `None of the ${kind} is ${traits}; these come closest:`
      : traits === ''
        ? `These ${kind} fit best:`
        : `These ${kind} are ${traits}, and fit best:`;
  if (detail === 'brief')
    return `${intro} ${listPhrase(ranked.map((pet) => `${pet.name} (${price(pet)})`))}.`;
  const lines = ranked.map((pet, index) =>
    `${index + 1}. ${profile(pet)}. ${price(pet)}, ${pet.stock} in stock. ${pet.description}`.trimEnd(),
  );
  return `${intro}\n${lines.join('\n')}`;
}

function about(question: Question, detail: Detail): string {
  return question.pets
    .map((pet) =>
      detail === 'brief'
        ? `${label(pet)}: ${price(pet)}, ${pet.stock} in stock.`
        : `${profile(pet)}. ${pet.description} ${pet.name} costs ${price(pet)}, and ${stockPhrase(pet)}.`,
    )
    .join('\n');
}

/**
 * The advisor's answer to a question, from the catalog as it is now: prices and stock as stored, pets that fit
 * ranked like recommendations. Deterministic: the same question about the same catalog gives the same text.
 */
export function composeAnswer(question: Question, catalog: readonly Pet[], detail: Detail): string {
  switch (question.intent) {
    case 'price':
      return prices(question, catalog, detail);
    case 'stock':
      return stock(question, catalog, detail);
    case 'fit':
      return bestFits(question, catalog, detail);
    case 'about':
      return about(question, detail);
    default:
      return overview(catalog, detail);
  }
}
