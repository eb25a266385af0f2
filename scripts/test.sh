#!/usr/bin/env bash
# Runs every test against a real RabbitMQ and the Cosmos DB test server.
# Installs and starts both on free loopback ports unless RABBITMQ_URL / COSMOS_DB_ENDPOINT are already set,
# and stops what it started. Prints one closing line: "N passed, N failed[, N skipped]".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/local-infra.sh
source scripts/lib/local-infra.sh

work="$(mktemp -d /tmp/integration-sync-test.XXXXXX)"
trap 'local_infra_stop "$work"; rm -rf "$work"' EXIT
local_infra_start test "$work"

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
