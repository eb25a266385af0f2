#!/usr/bin/env bash
# Runs every test against a real RabbitMQ and the Cosmos DB test server.
# Installs and starts both on free loopback ports unless RABBITMQ_URL / COSMOS_DB_ENDPOINT are already set,
# and stops what it started. Prints one closing line: "N passed, N failed[, N skipped]".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=lib/cosmos.sh
source scripts/lib/cosmos.sh
# shellcheck source=lib/test-env.sh
source scripts/lib/test-env.sh

work="$(mktemp -d /tmp/integration-sync-test.XXXXXX)"
started_rabbit="" started_cosmos=""
cleanup() {
  [ -n "$started_cosmos" ] && cosmos_stop "$work/cosmos.pid" || true
  [ -n "$started_rabbit" ] && rabbitmq_stop "$work/rabbitmq" || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${RABBITMQ_URL:-}" ]; then
  rabbitmq_install
  amqp_port="$(free_port)"
  RABBITMQ_FRESH=1 rabbitmq_start test "$amqp_port" 0 "$work/rabbitmq"
  started_rabbit=1
  export RABBITMQ_URL="amqp://guest:guest@127.0.0.1:${amqp_port}/"
  # Lets broker-restart tests drive this instance.
  export INTEGRATION_SYNC_TEST_RABBITMQ_DIR="$work/rabbitmq"
fi
if [ -z "${COSMOS_DB_ENDPOINT:-}" ]; then
  cosmos_install
  cosmos_port="$(free_port)"
  cosmos_start "$cosmos_port" "$work/cosmos.log" "$work/cosmos.pid"
  started_cosmos=1
  export COSMOS_DB_ENDPOINT="http://127.0.0.1:${cosmos_port}/"
fi
integration_sync_local_env

dotnet build IntegrationSync.sln -c Release -nologo -clp:ErrorsOnly
set +e
# The fault suite's slow scenarios (Scope=full) run in scripts/faults.sh; CI runs its bounded subset here.
filter=(--filter "Scope!=full")
[ $# -gt 0 ] && filter=()
dotnet test IntegrationSync.sln -c Release --no-build -nologo "${filter[@]}" "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$work/test.log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
