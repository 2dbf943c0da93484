-- The catalog, users, their likes and orders, with CHECK constraints mirroring spec/schemas/*.yaml.
-- Money is stored in integer cents; timestamps are timestamptz.

CREATE FUNCTION is_trait_list(traits text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_ndims(traits), 1) = 1
    AND cardinality(traits) <= 20
    AND NOT EXISTS (SELECT 1 FROM unnest(traits) AS t(v) WHERE v IS NULL OR v !~ '^[a-z][a-z-]{0,39}$')
    AND (SELECT count(DISTINCT v) FROM unnest(traits) AS t(v)) = cardinality(traits)
$$;

CREATE TABLE pets (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  species text NOT NULL
    CHECK (species IN ('dog', 'cat', 'bird', 'rabbit', 'fish', 'reptile', 'hamster', 'guinea-pig')),
  breed text NOT NULL CHECK (char_length(breed) BETWEEN 1 AND 100),
  size text NOT NULL CHECK (size IN ('small', 'medium', 'large')),
  age_months integer NOT NULL CHECK (age_months BETWEEN 0 AND 600),
  traits text[] NOT NULL DEFAULT '{}' CHECK (is_trait_list(traits)),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  price_cents bigint NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),
  stock integer NOT NULL CHECK (stock BETWEEN 0 AND 1000000),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX pets_created_at_id ON pets (created_at, id);
CREATE INDEX pets_species_size ON pets (species, size);

CREATE TABLE users (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  preferences jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(preferences) = 'object')
    CHECK (preferences - ARRAY['species', 'sizes', 'minAgeMonths', 'maxAgeMonths', 'maxPrice', 'traits'] = '{}')
);

CREATE TABLE user_likes (
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  pet_id uuid NOT NULL REFERENCES pets (id) ON DELETE CASCADE,
  liked_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, pet_id)
);

CREATE INDEX user_likes_user_liked_at ON user_likes (user_id, liked_at);

CREATE TABLE orders (
  id uuid PRIMARY KEY,
  pet_id uuid NOT NULL REFERENCES pets (id),
  user_id text NOT NULL REFERENCES users (id),
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 10),
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents BETWEEN 0 AND 100000000),
  status text NOT NULL
    CHECK (status IN ('payment_processing', 'payment_confirmed', 'preparing_shipment', 'shipped', 'cancelled')),
  tracking_number text CHECK (tracking_number ~ '^TRK[0-9A-Z]{10}$'),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (unit_price_cents * quantity <= 100000000),
  CHECK ((status = 'shipped') = (tracking_number IS NOT NULL))
);

CREATE INDEX orders_unfinished ON orders (created_at, id) WHERE status NOT IN ('shipped', 'cancelled');
CREATE INDEX orders_pet_id ON orders (pet_id);
CREATE INDEX orders_user_id ON orders (user_id);

CREATE TABLE order_status_history (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 1),
  status text NOT NULL
    CHECK (status IN ('payment_processing', 'payment_confirmed', 'preparing_shipment', 'shipped', 'cancelled')),
  at timestamptz NOT NULL,
  PRIMARY KEY (order_id, seq)
);
