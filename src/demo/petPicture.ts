import type { Schemas } from '@petstore-sse/client';

type Pet = Pick<Schemas['Pet'], 'id' | 'name' | 'species' | 'breed' | 'size'>;
type Species = Schemas['Species'];

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with presentation attributes (no `style`: the page's Content-Security-Policy forbids it). */
function shape(tag: string, attributes: Readonly<Record<string, string | number>>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A small stable hash of a text (FNV-1a), so the same pet is always drawn the same way. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193);
  return value >>> 0;
}

const pick = <T>(choices: readonly T[], seed: number): T => choices[seed % choices.length]!;

/** Coat colours by species, picked by breed: pets of one breed share a coat. */
const COATS: Readonly<Record<Species, readonly string[]>> = {
  dog: ['#c98b4a', '#8a5a35', '#e3c39d', '#4a4a4a', '#f2e8da', '#b8772f'],
  cat: ['#d9822b', '#6d6d6d', '#2f2f2f', '#e8dcc8', '#b0865a', '#c9c1b6'],
  rabbit: ['#f1ece4', '#b59a7d', '#8c7b6b', '#d8c4a8'],
  hamster: ['#e0a960', '#f4e3c3', '#c79a6b', '#a9a9a9'],
  'guinea-pig': ['#c47a3b', '#f2e6d4', '#7a5637', '#e2b07c'],
  bird: ['#3aa0d8', '#f2c12e', '#5bb56a', '#e2553b', '#9b6ad6'],
  fish: ['#f08a24', '#3ab0c9', '#e84f8a', '#f5d142', '#6c8cf0'],
  reptile: ['#6a9a3c', '#a2b33a', '#8c7a46', '#4f8a6b'],
};
const BACKGROUNDS = ['#e8f3ef', '#f3ede4', '#e9eef7', '#f5e9ee', '#eef2e3', '#f1ecf7'];
const SCALE: Readonly<Record<Schemas['PetSize'], number>> = { small: 0.78, medium: 0.9, large: 1 };
const INK = '#2a2522';

/** Two eyes, white around dark, so they show on any coat. */
const eyes = (y: number, dx = 5, x = 24) =>
  [x - dx, x + dx].flatMap((cx) => [
    shape('circle', { cx, cy: y, r: 2.6, fill: '#fff' }),
    shape('circle', { cx, cy: y, r: 1.6, fill: INK }),
  ]);

/** The figure of each species on a 48 × 48 canvas, in the pet's coat and a second shade. */
const FIGURES: Readonly<Record<Species, (coat: string, shade: string) => SVGElement[]>> = {
  cat: (coat, shade) => [
    shape('polygon', { points: '11,20 14,5 23,14', fill: shade }),
    shape('polygon', { points: '37,20 34,5 25,14', fill: shade }),
    shape('circle', { cx: 24, cy: 26, r: 14, fill: coat }),
    ...eyes(24, 5.5),
    shape('polygon', { points: '22,29 26,29 24,31.5', fill: '#d77a86' }),
    shape('path', { d: 'M8 29h9M8 33l9-2M40 29h-9M40 33l-9-2', stroke: INK, 'stroke-width': 0.8 }),
  ],
  dog: (coat, shade) => [
    shape('ellipse', { cx: 11, cy: 24, rx: 5, ry: 11, fill: shade, transform: 'rotate(18 11 24)' }),
    shape('ellipse', { cx: 37, cy: 24, rx: 5, ry: 11, fill: shade, transform: 'rotate(-18 37 24)' }),
    shape('circle', { cx: 24, cy: 24, r: 13, fill: coat }),
    shape('ellipse', { cx: 24, cy: 31, rx: 7.5, ry: 5.5, fill: '#f6eee3' }),
    shape('ellipse', { cx: 24, cy: 28.5, rx: 3, ry: 2.2, fill: INK }),
    ...eyes(21, 5),
  ],
  rabbit: (coat, shade) => [
    shape('ellipse', { cx: 19, cy: 11, rx: 4, ry: 11, fill: coat }),
    shape('ellipse', { cx: 29, cy: 11, rx: 4, ry: 11, fill: coat }),
    shape('ellipse', { cx: 19, cy: 11, rx: 2, ry: 8, fill: '#f2b8c0' }),
    shape('ellipse', { cx: 29, cy: 11, rx: 2, ry: 8, fill: '#f2b8c0' }),
    shape('circle', { cx: 24, cy: 30, r: 12, fill: coat, stroke: shade, 'stroke-width': 1 }),
    ...eyes(28, 4.5),
    shape('circle', { cx: 24, cy: 33, r: 1.6, fill: '#d77a86' }),
  ],
  hamster: (coat) => [
    shape('circle', { cx: 13, cy: 17, r: 4.5, fill: '#e9a3a3' }),
    shape('circle', { cx: 35, cy: 17, r: 4.5, fill: '#e9a3a3' }),
    shape('ellipse', { cx: 24, cy: 28, rx: 16, ry: 13, fill: coat }),
    shape('ellipse', { cx: 24, cy: 33, rx: 9, ry: 7, fill: '#fbf3e6' }),
    ...eyes(25, 5),
    shape('circle', { cx: 24, cy: 29, r: 1.4, fill: '#d77a86' }),
  ],
  'guinea-pig': (coat, shade) => [
    shape('ellipse', { cx: 24, cy: 28, rx: 19, ry: 12, fill: coat }),
    shape('path', { d: 'M24 16a19 12 0 0 0 0 24z', fill: shade }),
    shape('ellipse', { cx: 12, cy: 18, rx: 4, ry: 3, fill: shade }),
    shape('ellipse', { cx: 36, cy: 18, rx: 4, ry: 3, fill: coat, stroke: shade }),
    ...eyes(25, 7),
    shape('circle', { cx: 24, cy: 30, r: 1.4, fill: '#d77a86' }),
  ],
  bird: (coat, shade) => [
    shape('polygon', { points: '10,30 4,38 15,35', fill: shade }),
    shape('circle', { cx: 24, cy: 26, r: 13, fill: coat }),
    shape('ellipse', { cx: 20, cy: 30, rx: 8, ry: 5, fill: shade, transform: 'rotate(-20 20 30)' }),
    shape('polygon', { points: '35,22 44,25 35,28', fill: '#f0a202' }),
    shape('circle', { cx: 29, cy: 21, r: 2, fill: INK }),
    shape('path', { d: 'M22 13q2-7 6-6q-3 2-2 6', fill: shade }),
  ],
  fish: (coat, shade) => [
    shape('polygon', { points: '33,24 45,14 45,34', fill: shade }),
    shape('ellipse', { cx: 21, cy: 24, rx: 15, ry: 10, fill: coat }),
    shape('path', { d: 'M18 14q6 2 8 10q-2 8-8 10', fill: 'none', stroke: shade, 'stroke-width': 2 }),
    shape('polygon', { points: '18,15 24,7 27,16', fill: shade }),
    shape('circle', { cx: 11, cy: 22, r: 2.2, fill: INK }),
  ],
  reptile: (coat, shade) => [
    shape('path', { d: 'M10 30q-8 2-6 8q2-4 8-4z', fill: coat }),
    shape('ellipse', { cx: 14, cy: 35, rx: 2.5, ry: 4, fill: shade }),
    shape('ellipse', { cx: 30, cy: 35, rx: 2.5, ry: 4, fill: shade }),
    shape('ellipse', { cx: 22, cy: 30, rx: 14, ry: 6.5, fill: coat }),
    shape('ellipse', { cx: 38, cy: 26, rx: 7, ry: 5, fill: coat }),
    shape('circle', { cx: 18, cy: 28, r: 1.8, fill: shade }),
    shape('circle', { cx: 25, cy: 30, r: 1.5, fill: shade }),
    shape('circle', { cx: 40, cy: 24.5, r: 1.5, fill: INK }),
  ],
};

/**
 * A picture of `pet` drawn from its data, nothing fetched: the figure of its species, in a coat picked by
 * its breed, scaled by its size, on a background picked by its id. The same pet is always drawn alike.
 */
export function petPicture(pet: Pet): SVGSVGElement {
  const coats = COATS[pet.species];
  const breed = hash(pet.breed);
  const coat = pick(coats, breed);
  const shade = pick(coats, breed + 1 + (hash(pet.name) % (coats.length - 1)));
  const scale = SCALE[pet.size];
  const offset = 24 * (1 - scale);
  const label = `${pet.name}, a ${pet.size} ${pet.breed} (${pet.species})`;
  const svg = shape('svg', {
    viewBox: '0 0 48 48',
    width: 48,
    height: 48,
    role: 'img',
    'aria-label': label,
    class: 'pet-picture',
    'data-species': pet.species,
  }) as SVGSVGElement;
  const title = shape('title', {});
  title.textContent = label;
  const figure = shape('g', { transform: `translate(${offset} ${offset}) scale(${scale})` });
  figure.append(...FIGURES[pet.species](coat, shade));
  svg.append(
    title,
    shape('rect', { width: 48, height: 48, rx: 10, fill: pick(BACKGROUNDS, hash(pet.id)) }),
    figure,
  );
  return svg;
}
