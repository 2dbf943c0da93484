import { describe, expect, it } from 'vitest';
import { composeAnswer, readQuestion, tokenize } from '../../src/domain/chat/index.js';
import { SEED_PETS } from '../../src/store/index.js';

const read = (...messages: string[]) => readQuestion(messages, SEED_PETS);
const names = (question: ReturnType<typeof read>) => question.pets.map((pet) => pet.name);

describe('readQuestion', () => {
  it.each([
    ['How much is Biscuit?', 'price'],
    ['What is the cheapest dog?', 'price'],
    ['What is in stock?', 'stock'],
    ['Which pets are good for a family with kids?', 'fit'],
    ['A calm small pet under $300, please', 'fit'],
    ['Tell me about Whiskers', 'about'],
    ['Hello!', 'overview'],
  ])('reads "%s" as a %s question', (text, intent) => {
    expect(read(text).intent).toBe(intent);
  });

  it('reads a family with kids as the good-with-kids trait, and a budget as the most it may cost', () => {
    expect(read('Which dogs fit a family with kids, under $700?')).toMatchObject({
      species: ['dog'],
      traits: ['good-with-kids'],
      maxPrice: 700,
    });
  });

  it('reads a budget with thousands separators and cents', () => {
    expect(read('A dog for less than $1,200.50?').maxPrice).toBe(1200.5);
  });

  it('reads the longest pet name, so Ziggy Stardust is not also Ziggy', () => {
    expect(names(read('Is Ziggy Stardust in stock?'))).toEqual(['Ziggy Stardust']);
    expect(names(read('Is Ziggy in stock, or Ziggy Stardust?'))).toEqual(['Ziggy', 'Ziggy Stardust']);
  });

  it('takes "it" to mean the pet the last earlier question named', () => {
    expect(names(read('Tell me about Mochi', 'What does a cat eat?', 'How much is it?'))).toEqual(['Mochi']);
    expect(names(read('Tell me about Mochi', 'How much are cats?'))).toEqual([]);
  });
});

describe('the pet advisor answer', () => {
  it('splits into tokens that join back into the answer', () => {
    const answer = composeAnswer(read('What cats are in stock?'), SEED_PETS, 'full');
    expect(tokenize(answer).join('')).toBe(answer);
    expect(answer).toContain('Whiskers the Maine Coon (3 at $249.99)');
  });
});
