-- The write of a request with an Idempotency-Key marks its key `applied` inside its own transaction, so the
-- mark exists exactly when the change committed. A `pending` key that was applied is never taken over when
-- its lease runs out (the process died, or the COMMIT's outcome could not be learnt, before the answer was
-- stored): running the request again would apply it twice. Such a key answers 409
-- `/problems/idempotency-key-answer-lost` instead.
ALTER TABLE idempotency_keys ADD COLUMN applied_at timestamptz;
