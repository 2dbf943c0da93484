#!/usr/bin/env bash
# Raises the descriptor limit (10k connections on each side) where allowed, then runs the bench.
set -euo pipefail
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --import tsx bench/run.ts
