import type { components } from '../../generated/openapi.js';
import { seededRandomBytes } from './seededRandomBytes.js';
import { uuidv7Of } from './uuidv7.js';

type Pet = components['schemas']['Pet'];

/** The traits the demo catalog uses (the schema allows any kebab-case word). */
export const TRAIT_VOCABULARY = [
  'active',
  'affectionate',
  'calm',
  'colorful',
  'cuddly',
  'curious',
  'energetic',
  'gentle',
  'good-with-kids',
  'good-with-pets',
  'hardy',
  'house-trained',
  'hypoallergenic',
  'independent',
  'intelligent',
  'loyal',
  'low-maintenance',
  'nocturnal',
  'playful',
  'quiet',
  'social',
  'trainable',
  'vocal',
] as const;

const SPECIES: readonly string[] = [
  'dog',
  'cat',
  'bird',
  'rabbit',
  'fish',
  'reptile',
  'hamster',
  'guinea-pig',
];
const SIZES: readonly string[] = ['small', 'medium', 'large'];
const FIRST_LISTED_AT = Date.parse('2026-09-01T09:00:00.000Z');
const LISTING_INTERVAL_MS = 3 * 60 * 60 * 1000;

// species | name | breed | size | age in months | price in dollars | stock | traits | description
const CATALOG = `
dog | Biscuit | Beagle | medium | 8 | 399.00 | 2 | playful good-with-kids energetic | Loves long walks and longer naps.
dog | Max | Labrador Retriever | large | 14 | 850.00 | 3 | loyal good-with-kids energetic trainable | A sunny retriever who brings back everything, twice.
dog | Bella | Cavalier King Charles Spaniel | small | 24 | 1200.00 | 1 | affectionate calm good-with-kids | A lap dog in every sense, happiest on a sofa next to you.
dog | Rocky | German Shepherd | large | 30 | 950.00 | 2 | loyal intelligent trainable active | Sharp, devoted and eager for a job to do.
dog | Daisy | Poodle (Miniature) | small | 18 | 1100.00 | 4 | hypoallergenic intelligent playful house-trained | Clever, low-shedding and already house-trained.
dog | Cooper | Border Collie | medium | 10 | 700.00 | 0 | energetic intelligent trainable | Herds the family at dusk; needs a garden and a ball.
dog | Luna | Siberian Husky | large | 20 | 900.00 | 1 | energetic social vocal | Sings at sirens and never tires on a trail.
dog | Teddy | Bichon Frise | small | 36 | 650.00 | 5 | hypoallergenic affectionate good-with-kids calm | A fluffy, gentle companion for a quiet home.
cat | Whiskers | Maine Coon | medium | 18 | 249.99 | 3 | calm affectionate good-with-kids | A gentle giant who loves naps in the sun.
cat | Mochi | Ragdoll | medium | 12 | 289.00 | 2 | calm affectionate cuddly quiet | Goes limp with happiness when picked up.
cat | Shadow | Bombay | small | 26 | 180.00 | 4 | independent curious quiet | A sleek black panther in miniature who keeps to himself.
cat | Cleo | Siamese | small | 15 | 220.00 | 1 | vocal social affectionate | Has an opinion on everything and shares it loudly.
cat | Oliver | British Shorthair | medium | 40 | 199.99 | 6 | calm independent low-maintenance | A round, unflappable gentleman who naps on schedule.
cat | Nala | Bengal | medium | 9 | 1500.00 | 1 | energetic playful curious | A spotted acrobat who loves water and high shelves.
cat | Pumpkin | Domestic Shorthair | small | 6 | 75.00 | 8 | playful curious good-with-kids | An orange kitten who chases every shoelace.
cat | Sphinx | Sphynx | small | 22 | 1400.00 | 0 | hypoallergenic affectionate social | Hairless, warm to the touch and always seeking a lap.
cat | Misty | Russian Blue | small | 30 | 260.00 | 2 | calm quiet hypoallergenic gentle | A soft silver cat who prefers a calm, quiet home.
cat | Ginger | Scottish Fold | small | 14 | 295.00 | 1 | calm affectionate house-trained | Folded ears, round eyes and a love of gentle chin scratches.
bird | Kiwi | Budgerigar | small | 5 | 29.99 | 10 | social vocal playful | A chatty budgie who learns a new word every week.
bird | Sunny | Cockatiel | small | 12 | 149.99 | 4 | affectionate social vocal | Whistles the same tune every morning and loves head scratches.
bird | Rio | Blue-and-gold Macaw | large | 60 | 1450.00 | 1 | intelligent vocal social colorful | A brilliant, loud and loving companion for decades.
bird | Pip | Zebra Finch | small | 4 | 24.99 | 10 | quiet low-maintenance social colorful | Best kept in pairs; cheerful and easy to care for.
bird | Mango | Sun Conure | small | 16 | 450.00 | 2 | colorful playful vocal | A burst of orange that never stops playing.
bird | Echo | African Grey | medium | 48 | 1300.00 | 0 | intelligent vocal curious | Mimics the doorbell perfectly, to everyone's confusion.
bird | Pearl | Canary | small | 10 | 59.99 | 6 | quiet low-maintenance colorful | A yellow singer content in a sunny corner.
bird | Olive | Lovebird | small | 8 | 89.00 | 3 | affectionate social colorful | Bonds closely and loves riding on a shoulder.
rabbit | Thumper | Holland Lop | small | 6 | 89.99 | 5 | calm affectionate good-with-kids | Floppy ears and a twitchy nose; loves gentle pets.
rabbit | Clover | Netherland Dwarf | small | 10 | 75.00 | 4 | curious playful quiet | Tiny, bold and forever exploring under the sofa.
rabbit | Hazel | Flemish Giant | large | 20 | 180.00 | 1 | calm gentle good-with-kids | A dog-sized rabbit with a gentle, patient nature.
rabbit | Oreo | Dutch | small | 14 | 60.00 | 3 | social playful house-trained | Litter-trained and fond of zooming around the living room.
rabbit | Bunbun | Lionhead | small | 8 | 95.00 | 2 | affectionate cuddly gentle | A fluffy mane and a love of being brushed.
rabbit | Caramel | Mini Rex | small | 16 | 85.00 | 0 | calm quiet house-trained | Velvet fur and a calm temperament; fine in a flat.
rabbit | Juniper | English Angora | medium | 24 | 140.00 | 2 | gentle calm cuddly | Cloud-soft wool that needs a daily brush.
rabbit | Pepper | Rex | medium | 12 | 70.00 | 6 | curious social playful | Loves tunnels, cardboard castles and company.
fish | Bubbles | Betta | small | 6 | 19.99 | 10 | colorful quiet low-maintenance | A flowing blue fin show in a single small tank.
fish | Goldie | Fancy Goldfish | small | 12 | 24.99 | 8 | calm hardy low-maintenance | A round, hardy oranda for a first aquarium.
fish | Nemo | Ocellaris Clownfish | small | 10 | 39.99 | 5 | colorful social hardy | Tank-bred, reef-safe and full of character.
fish | Dory | Blue Tang | medium | 18 | 129.99 | 2 | colorful active social | A vivid swimmer for a large reef aquarium.
fish | Finn | Neon Tetra School | small | 4 | 29.99 | 9 | colorful quiet social | A shimmering school of ten that glows under lights.
fish | Koi | Kohaku Koi | large | 36 | 450.00 | 1 | calm hardy social | A red-and-white pond koi that eats from your hand.
fish | Angel | Freshwater Angelfish | medium | 9 | 34.99 | 4 | calm colorful quiet | Tall, graceful and peaceful in a planted tank.
fish | Oscar | Oscar Cichlid | medium | 14 | 49.99 | 0 | intelligent curious active | Recognises its owner and rearranges its tank for fun.
reptile | Spike | Bearded Dragon | medium | 14 | 189.99 | 3 | calm gentle good-with-kids | Enjoys basking under his lamp and a gentle handling session.
reptile | Gecko | Leopard Gecko | small | 10 | 79.99 | 5 | calm low-maintenance quiet nocturnal | Spotted, docile and busy after dark.
reptile | Slinky | Corn Snake | medium | 18 | 120.00 | 2 | calm low-maintenance quiet | A docile orange snake that is easy to handle.
reptile | Shelly | Russian Tortoise | small | 48 | 260.00 | 1 | hardy independent quiet | Slow, steady and likely to outlive us all.
reptile | Ziggy | Crested Gecko | small | 12 | 110.00 | 3 | low-maintenance quiet nocturnal curious | Eyelash crests and sticky feet that climb glass.
reptile | Rex | Blue-tongued Skink | medium | 20 | 340.00 | 0 | curious calm hardy | Flashes a blue tongue when surprised; otherwise mellow.
reptile | Noodle | Ball Python | medium | 30 | 199.00 | 2 | calm quiet independent | Curls into a ball when shy; gentle once settled.
reptile | Iggy | Green Iguana | large | 24 | 150.00 | 1 | independent active hardy | A tall climber who needs space and a warm lamp.
hamster | Peanut | Syrian Hamster | small | 3 | 24.99 | 7 | curious nocturnal independent | Stuffs his cheeks with sunflower seeds and runs all night.
hamster | Nibbles | Roborovski Dwarf | small | 4 | 19.99 | 9 | active nocturnal quiet | Tiny and fast; best watched rather than held.
hamster | Cinnamon | Winter White Dwarf | small | 5 | 22.00 | 6 | gentle calm low-maintenance | Turns white in winter and stays calm when handled.
hamster | Marble | Campbell Dwarf | small | 6 | 21.50 | 4 | social curious nocturnal | Busy building tunnels out of paper bedding.
hamster | Toffee | Long-haired Syrian | small | 8 | 29.99 | 1 | gentle cuddly nocturnal | A teddy-bear coat that needs a weekly comb.
hamster | Button | Chinese Hamster | small | 5 | 23.00 | 0 | curious quiet low-maintenance | A slender climber with a little tail.
hamster | Sesame | Syrian Hamster | small | 2 | 24.99 | 10 | playful curious good-with-kids | A young explorer ready for a first wheel.
hamster | Waffles | Winter White Dwarf | small | 7 | 22.00 | 3 | calm gentle quiet | Content in a quiet corner with a deep nest.
guinea-pig | Popcorn | American Guinea Pig | small | 6 | 45.00 | 6 | social vocal good-with-kids | Wheeks for lettuce and jumps for joy.
guinea-pig | Fluffy | Peruvian | small | 12 | 65.00 | 2 | gentle calm cuddly | Long silky hair and a patient temperament.
guinea-pig | Patches | Abyssinian | small | 9 | 40.00 | 5 | social playful curious | Rosettes in every direction and a curious nose.
guinea-pig | Snowball | Teddy | small | 14 | 50.00 | 1 | calm cuddly good-with-kids | A fuzzy coat and a calm love of laps.
guinea-pig | Cocoa | Skinny Pig | small | 10 | 120.00 | 0 | hypoallergenic social affectionate | Nearly hairless and always up for a cuddle.
guinea-pig | Butterscotch | Silkie | small | 18 | 55.00 | 3 | gentle quiet social | A smooth, swept-back coat and a gentle manner.
guinea-pig | Ziggy Stardust | Rex Guinea Pig | small | 7 | 48.00 | 4 | playful social vocal | Dense curly fur and a loud purr of contentment.
guinea-pig | Honey | Texel | medium | 20 | 70.00 | 2 | calm gentle cuddly | Ringlets that need grooming and a love of quiet company.
`;

function pick<T extends string>(allowed: readonly string[], value: string, line: string): T {
  if (!allowed.includes(value)) throw new Error(`Seed catalog line has an unknown value ${value}: ${line}`);
  return value as T;
}

function parseLine(line: string, listedAtMs: number, newId: () => string): Pet {
  const [species, name, breed, size, age, price, stock, traits, description] = line.split(' | ');
  if (description === undefined) throw new Error(`Seed catalog line needs 9 columns: ${line}`);
  const listedAt = new Date(listedAtMs).toISOString();
  return {
    id: newId(),
    name: name!,
    species: pick<Pet['species']>(SPECIES, species!, line),
    breed: breed!,
    size: pick<Pet['size']>(SIZES, size!, line),
    ageMonths: Number(age),
    traits: traits!.split(' ').map((trait) => pick(TRAIT_VOCABULARY, trait, line)),
    description,
    price: Number(price),
    stock: Number(stock),
    createdAt: listedAt,
    updatedAt: listedAt,
  };
}

function buildCatalog(): Pet[] {
  const random = seededRandomBytes(20_260_901);
  return CATALOG.trim()
    .split('\n')
    .map((line, index) => {
      const listedAtMs = FIRST_LISTED_AT + index * LISTING_INTERVAL_MS;
      const bytes = new Uint8Array(16);
      random(bytes);
      return parseLine(line, listedAtMs, () => uuidv7Of(listedAtMs, bytes));
    });
}

/**
 * The demo catalog: 66 pets over all eight species, with deterministic UUIDv7 ids and listing times (the
 * same on every start), listed three hours apart from 2026-09-01.
 */
export const SEED_PETS: readonly Pet[] = buildCatalog();
