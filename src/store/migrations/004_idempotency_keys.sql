-- Idempotency-Key (IETF httpapi idempotency-key draft): the first request with a key claims it (a `pending`
-- row; the primary key lets exactly one of any number of racing instances insert it), runs, and stores its
-- answer (`complete`); a retry with the same key and request is answered from the row. A key is scoped to
-- the operation and the principal (the access token's subject, '' for none), and kept until `expires_at`.
-- A `pending` row whose lease ran out belongs to a process that died mid-request: the next claim takes it.

CREATE TABLE idempotency_keys (
  operation_id text NOT NULL,
  principal text NOT NULL,
  idempotency_key text NOT NULL CHECK (idempotency_key ~ '^[!-~]{1,255}$'),
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  claim_token uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'complete')),
  response_status integer CHECK (response_status BETWEEN 200 AND 499),
  response_headers text,
  response_body text,
  created_at timestamptz NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (operation_id, principal, idempotency_key),
  CHECK ((state = 'complete') = (response_status IS NOT NULL)),
  CHECK ((state = 'complete') = (response_headers IS NOT NULL AND response_body IS NOT NULL)),
  CHECK (expires_at > created_at)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
