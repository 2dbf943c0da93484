#!/usr/bin/env bash
# The "Testing with Apidog" steps (docs/apidog.md), as CI runs them: start the server (npm start builds first) on a
# new data folder, write the Apidog CLI collection from the OpenAPI document, run it with apidog-cli, stop
# the server by its pid. Fails when any request or assertion fails.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${APIDOG_PORT:-3457}
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT

PORT=$port HOST=127.0.0.1 DATA_DIR="$data" ORDER_STEP_MS=300 LOG_LEVEL=warn npm start --silent &
server=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "== the server exited before it answered /healthz" >&2; exit 1; }
  sleep 0.5
done

npm run --silent apidog:collection
BASE_URL="http://127.0.0.1:$port" npm run --silent apidog:run
