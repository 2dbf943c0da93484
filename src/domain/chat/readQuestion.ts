import type { Pet } from '../recommendations/index.js';

type Species = Pet['species'];
type Size = Pet['size'];

/** What a question asks for. */
export type Intent = 'price' | 'stock' | 'fit' | 'about' | 'overview';

/** A question to the pet advisor, read into what it is about. */
export interface Question {
  intent: Intent;
  /** Catalog pets named in the question (or, for "it"/"them", in the last earlier question that named some). */
  pets: Pet[];
  species: Species[];
  sizes: Size[];
  /** Traits asked for, e.g. `good-with-kids` for "a family with kids". */
  traits: string[];
  maxPrice: number | undefined;
  /** "cheapest" or "most expensive". */
  extreme: 'cheapest' | 'priciest' | undefined;
}

const SPECIES_WORDS: Record<Species, RegExp> = {
  dog: /\b(dogs?|pupp(y|ies)|pups?|doggos?)\b/,
  cat: /\b(cats?|kittens?|kitty|kitties)\b/,
  bird: /\b(birds?|parrots?|budgies?|canar(y|ies)|finch(es)?)\b/,
  rabbit: /\b(rabbits?|bunn(y|ies))\b/,
  fish: /\b(fish(es)?|goldfish|aquarium)\b/,
  reptile: /\b(reptiles?|lizards?|snakes?|geckos?|tortoises?|turtles?)\b/,
  hamster: /\b(hamsters?)\b/,
  'guinea-pig': /\b(guinea[- ]pigs?|cav(y|ies))\b/,
};

const SIZE_WORDS: Record<Size, RegExp> = {
  small: /\b(small|little|tiny)\b/,
  medium: /\b(medium|mid-sized)\b/,
  large: /\b(large|big)\b/,
};

/** Phrases that ask for a trait (besides the trait's own name). */
const TRAIT_WORDS: Record<string, RegExp> = {
  'good-with-kids': /\b(kids?|child(ren)?|toddlers?|famil(y|ies))\b/,
  'good-with-pets': /\bother (pets|dogs|cats)\b/,
  hypoallergenic: /\b(allerg\w*|hypoallergenic)\b/,
  calm: /\b(calm|relaxed|chill|mellow)\b/,
  quiet: /\b(quiet|apartment|flat|neighbou?rs)\b/,
  'low-maintenance': /\b(low[- ]maintenance|easy to (care for|keep)|beginners?|first pet)\b/,
  'house-trained': /\b(house[- ]trained|litter[- ]trained)\b/,
  cuddly: /\b(cuddl\w*)\b/,
  energetic: /\b(energetic|running|jogging|hiking)\b/,
  intelligent: /\b(intelligent|smart|clever)\b/,
  trainable: /\b(trainable|train)\b/,
};
const PLAIN_TRAITS = ['active', 'affectionate', 'gentle', 'loyal', 'playful', 'social', 'independent'];

const PRICE = /\b(how much|price[sd]?|costs?|costing|expensive|cheap(er|est)?|afford\w*|budget)\b/;
const STOCK = /\b(in stock|stock|available|availability|left|sold out|have|buy)\b/;
const FIT =
  /\b(fits?|good (for|with)|recommend\w*|suggest\w*|best|should (i|we)|looking for|ideal|suitable|want)\b/;
const BUDGET =
  /\b(?:under|below|less than|up to|at most|max(?:imum)?|budget(?: of| is)?|cheaper than)\s*\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)/;
const PRONOUN = /\b(it|its|him|her|them|that one|this one)\b/;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Pets named in `text`, longest name first so "Ziggy Stardust" is not also read as "Ziggy". */
function namedPets(text: string, catalog: readonly Pet[]): Pet[] {
  let rest = text;
  const found: Pet[] = [];
  const byLength = [...catalog].sort((a, b) => b.name.length - a.name.length || (a.id < b.id ? -1 : 1));
  for (const pet of byLength) {
    const name = new RegExp(`\\b${escapeRegExp(pet.name.toLowerCase())}\\b`);
    if (!name.test(rest)) continue;
    found.push(pet);
    rest = rest.replace(name, ' ');
  }
  return catalog.filter((pet) => found.includes(pet));
}

const matching = <K extends string>(words: Record<K, RegExp>, text: string): K[] =>
  (Object.keys(words) as K[]).filter((key) => words[key].test(text));

function intentOf(text: string, question: Omit<Question, 'intent'>): Intent {
  if (PRICE.test(text) || question.extreme) return 'price';
  if (STOCK.test(text)) return 'stock';
  const filtered = question.traits.length + question.sizes.length > 0 || question.maxPrice !== undefined;
  if (FIT.test(text) || filtered) return 'fit';
  if (question.pets.length > 0) return 'about';
  return question.species.length > 0 ? 'fit' : 'overview';
}

/**
 * Reads the last user message of a conversation: the pets it names, the species, sizes, traits and budget it
 * asks for, and whether it asks about prices, stock, which pets fit, one pet, or nothing in particular.
 * Earlier user messages only matter when the question refers back ("how much is it?").
 */
export function readQuestion(userMessages: readonly string[], catalog: readonly Pet[]): Question {
  const text = (userMessages.at(-1) ?? '').toLowerCase();
  let pets = namedPets(text, catalog);
  if (pets.length === 0 && PRONOUN.test(text)) {
    const earlier = userMessages.slice(0, -1).map((message) => namedPets(message.toLowerCase(), catalog));
    pets = earlier.reverse().find((named) => named.length > 0) ?? [];
  }
  const budget = BUDGET.exec(text);
  const traits = [
    ...matching(TRAIT_WORDS, text),
    ...PLAIN_TRAITS.filter((trait) => new RegExp(`\\b${trait}\\b`).test(text)),
  ];
  const question = {
    pets,
    species: matching(SPECIES_WORDS, text),
    sizes: matching(SIZE_WORDS, text),
    traits: [...new Set(traits)].sort(),
    maxPrice: budget ? Number(budget[1]!.replaceAll(',', '')) : undefined,
    extreme: /\bcheapest\b|\bleast expensive\b/.test(text)
      ? ('cheapest' as const)
      : /\bmost expensive\b|\bpriciest\b/.test(text)
        ? ('priciest' as const)
        : undefined,
  };
  return { intent: intentOf(text, question), ...question };
}
