#!/usr/bin/env bash
# Stops what scripts/dev-up.sh started. Harmless when nothing runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=lib/cosmos.sh
source scripts/lib/cosmos.sh
run="$root/.run"
for pidfile in "$run"/pids/*.pid; do
  [ -f "$pidfile" ] || continue
  [ "$(basename "$pidfile")" = cosmos.pid ] && continue
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null && for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
done
cosmos_stop "$run/pids/cosmos.pid" || true
[ -d "$run/rabbitmq" ] && rabbitmq_stop "$run/rabbitmq"
rm -f "$run/dev.env"
echo "IntegrationSync fleet stopped."
