import { afterAll, describe, expect, it } from 'vitest';
import { InventoryTicker } from '../../src/demo/InventoryTicker.js';
import { removeDomGlobals } from '../client/domGlobals.js';

afterAll(removeDomGlobals);

const WHISKERS = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const REX = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a91';
const item = (petId: string, name: string, updatedAt: string) => ({
  petId,
  name,
  stock: 3,
  price: 100,
  updatedAt,
});
const pets = [
  { id: WHISKERS, name: 'Whiskers', species: 'cat', breed: 'Maine Coon', size: 'medium' },
  { id: REX, name: 'Rex', species: 'dog', breed: 'Beagle', size: 'small' },
].map((pet) => ({
  ...pet,
  ageMonths: 1,
  traits: [],
  description: '',
  price: 100,
  stock: 3,
  createdAt: '',
  updatedAt: '',
}));

function ticker() {
  const list = document.createElement('ul');
  const shown = () =>
    [...list.children].map((row) => [
      row.querySelector('strong')?.textContent,
      row.querySelector('.price')?.textContent,
      row.querySelector('.stock')?.textContent,
    ]);
  return { list, shown, ticker: new InventoryTicker(list, pets as never) };
}

describe('the demo’s inventory ticker', () => {
  it('shows every pet with its picture, price and stock', () => {
    const { list, shown, ticker: board } = ticker();
    board.load([
      item(WHISKERS, 'Whiskers', '2026-12-01T00:00:00.000Z'),
      item(REX, 'Rex', '2026-12-01T00:00:00.000Z'),
    ]);
    expect(shown()).toEqual([
      ['Whiskers', '$100.00', '3 in stock'],
      ['Rex', '$100.00', '3 in stock'],
    ]);
    expect([...list.querySelectorAll('svg')].map((svg) => svg.getAttribute('data-species'))).toEqual([
      'cat',
      'dog',
    ]);
  });

  it('moves a changed pet to the top with its new price, and shows a sold-out pet as such', () => {
    const { shown, ticker: board } = ticker();
    board.load([
      item(WHISKERS, 'Whiskers', '2026-12-01T00:00:00.000Z'),
      item(REX, 'Rex', '2026-12-01T00:00:00.000Z'),
    ]);
    const at = '2026-12-02T00:00:00.000Z';
    expect(board.apply({ petId: REX, oldPrice: 100, newPrice: 80.5, timestamp: at })).toBe(true);
    expect(board.apply({ petId: WHISKERS, oldStock: 3, newStock: 0, timestamp: at })).toBe(true);
    expect(shown()).toEqual([
      ['Whiskers', '$100.00', 'sold out'],
      ['Rex', '$80.50', '3 in stock'],
    ]);
    expect(board.items.find((pet) => pet.petId === REX)).toMatchObject({ price: 80.5, updatedAt: at });
  });

  it('holds the changes that arrive before the list and applies those newer than it', () => {
    const { shown, ticker: board } = ticker();
    expect(
      board.apply({ petId: REX, oldPrice: 90, newPrice: 100, timestamp: '2026-12-01T00:00:00.000Z' }),
    ).toBe(false);
    expect(
      board.apply({ petId: REX, oldPrice: 100, newPrice: 120, timestamp: '2026-12-03T00:00:00.000Z' }),
    ).toBe(false);
    expect(board.loaded).toBe(false);
    // The list was read between the two changes: the first is already in it, the second is not.
    board.load([
      item(WHISKERS, 'Whiskers', '2026-12-01T00:00:00.000Z'),
      item(REX, 'Rex', '2026-12-02T00:00:00.000Z'),
    ]);
    expect(board.loaded).toBe(true);
    expect(shown()).toEqual([
      ['Rex', '$120.00', '3 in stock'],
      ['Whiskers', '$100.00', '3 in stock'],
    ]);
  });

  it('ignores a change older than what a pet shows, and a pet it does not list', () => {
    const { shown, ticker: board } = ticker();
    board.load([item(REX, 'Rex', '2026-12-02T00:00:00.000Z')]);
    expect(board.apply({ petId: REX, oldPrice: 1, newPrice: 2, timestamp: '2026-12-01T00:00:00.000Z' })).toBe(
      false,
    );
    expect(
      board.apply({ petId: WHISKERS, oldStock: 1, newStock: 2, timestamp: '2026-12-03T00:00:00.000Z' }),
    ).toBe(false);
    expect(shown()).toEqual([['Rex', '$100.00', '3 in stock']]);
  });
});
