-- The event log as a transactional outbox: every event is a row written in the transaction of the change it
-- reports, so an event exists if and only if its change committed.

-- The generation of this database's event history: fixed for its life, new when the database is created
-- again, and part of every event id, so an id from another history is never read as a position in this one.
CREATE TABLE event_history (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation text NOT NULL CHECK (generation ~ '^[0-9a-f]{12}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO event_history (generation) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));

-- One counter row per stream. A transaction takes its events' positions by incrementing the row as its last
-- step; the row lock it then holds until COMMIT makes the next writer of the stream wait, so positions are
-- contiguous and in commit order: position n+1 is never visible before n.
CREATE TABLE event_streams (
  topic text PRIMARY KEY CHECK (char_length(topic) BETWEEN 1 AND 200),
  head bigint NOT NULL CHECK (head >= 0),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX event_streams_updated_at ON event_streams (updated_at);

CREATE TABLE events (
  topic text NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  event text NOT NULL CHECK (char_length(event) BETWEEN 1 AND 100),
  -- The payload as JSON text, exactly as it was validated and as it goes on the wire.
  data text NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (topic, seq)
);
CREATE INDEX events_committed_at ON events (committed_at);

-- Orders placed before this migration: their streams go on at the position after their history, so the next
-- status change keeps its place (position n is the order's n-th status).
INSERT INTO event_streams (topic, head)
SELECT 'order:' || order_id::text, max(seq) FROM order_status_history GROUP BY order_id;
