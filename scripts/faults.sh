#!/usr/bin/env bash
# The fault suite: the fleet as real processes (a broker and a Cosmos test server of its own, the peer stand-ins, two
# runners, event-consumer, token-refresher, the API), each scenario killing, freezing or restarting some of them
# mid-sync and ending with the same verdict: every record on the wire at least once, statistics exact, one
# integration.sync.completed, nothing left running. Runs every scenario (CI runs the Scope=ci subset through
# scripts/test.sh) and prints one table. Extra arguments go to dotnet test (e.g. --filter "FullyQualifiedName~broker").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=lib/cosmos.sh
source scripts/lib/cosmos.sh
# shellcheck source=lib/test-env.sh
source scripts/lib/test-env.sh

rabbitmq_install
cosmos_install
integration_sync_local_env
work="$(mktemp -d /tmp/integration-sync-faults.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export FAULTS_TABLE="$work/table.md"

dotnet build IntegrationSync.sln -c Release -nologo -clp:ErrorsOnly
set +e
dotnet test tests/IntegrationSync.Faults.Tests -c Release --no-build -nologo "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e

echo
echo "| scenario | records | lost | re-sent | stats exact | fault → completed (s) | recovery bounded by |"
echo "|---|---:|---:|---:|---|---:|---|"
[ -f "$FAULTS_TABLE" ] && cat "$FAULTS_TABLE"
grep -E '(Passed|Failed)! +- +Failed:' "$work/test.log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\2 passed, \1 failed/'
exit "$status"
