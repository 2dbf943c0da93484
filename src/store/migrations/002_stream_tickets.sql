-- Single-use stream tickets (POST /v1/stream-tickets): only the SHA-256 of a ticket is kept, so a database
-- leak reveals no usable ticket. A ticket is consumed by deleting its row, which exactly one request can do.

CREATE TABLE stream_tickets (
  ticket_hash text PRIMARY KEY CHECK (ticket_hash ~ '^[0-9a-f]{64}$'),
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  credential_expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK (expires_at > created_at),
  CHECK (expires_at <= credential_expires_at)
);

CREATE INDEX stream_tickets_expires_at ON stream_tickets (expires_at);
