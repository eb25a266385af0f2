#!/usr/bin/env bash
# One benchmark command: builds the harnesses listed below (Release), runs each of them --runs times (3 by default,
# round-robin so a shared machine's drift spreads over all of them) and prints one Markdown table, each figure the
# median of the runs with its spread (scripts/lib/bench_table.py), also written to --out (default
# .run/bench/<time>/results.md, beside every run's log). About twenty minutes on a 2-core machine.
# Starts RabbitMQ and the Cosmos test server on free loopback ports unless RABBITMQ_URL / COSMOS_DB_ENDPOINT are set
# (after ./scripts/dev-up.sh: set -a; source .run/dev.env; set +a), and stops what it started. Exits non-zero, naming
# them, when a harness fails or prints no result line.
#
#   scripts/bench.sh [--runs N] [--out FILE] [NAME...]    (NAME: only those benchmarks of the list)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/local-infra.sh
source scripts/lib/local-infra.sh

# The benchmarks: name, project folder under bench/, default arguments. A harness prints its figures as BENCH_RESULT
# lines (bench/BenchSupport/BenchResult.cs); a new one needs a line here and nothing else.
benchmarks=(
  "runner-throughput   RunnerThroughput      throughput 20000 3 50"
  "runner-memory-10k   RunnerThroughput      memory 10000 100000"
  "runner-memory-1m    RunnerThroughput      memory 1000000 100000"
  "statistics          StatisticsThroughput  10000 20000"
  "trigger-load        TriggerLoad           500 16"
  "sync-latency        SyncLatency           1000,100000"
  "webhook-delivery    WebhookDelivery       2000 50 100"
  "webhook-inbound     WebhookDelivery       inbound 2000 16"
  "outbound-push       OutboundPush          300"
  "vendor-calls        VendorCalls           10000"
)
run_limit_seconds=1200

runs=3 out="" only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    -*) echo "usage: scripts/bench.sh [--runs N] [--out FILE] [NAME...]" >&2; exit 2 ;;
    *) only+=("$1") ;;
  esac
  shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive number" >&2; exit 2; }
selected=()
for entry in "${benchmarks[@]}"; do
  read -r name folder _ <<<"$entry"
  [ -f "$(echo bench/"$folder"/*.csproj)" ] || { echo "$name: no project in bench/$folder" >&2; exit 2; }
  if [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $name "* ]]; then selected+=("$entry"); fi
done
[ ${#selected[@]} -gt 0 ] || { echo "no benchmark named ${only[*]}" >&2; exit 2; }

loopback() { python3 -c 'import sys, ipaddress, urllib.parse
host = urllib.parse.urlsplit(sys.argv[1]).hostname or ""
try:
    sys.exit(0 if ipaddress.ip_address(host).is_loopback else 1)
except ValueError:
    sys.exit(0 if host == "localhost" else 1)' "$1"; }
for var in RABBITMQ_URL COSMOS_DB_ENDPOINT; do
  [ -z "${!var:-}" ] || loopback "${!var}" || { echo "$var is not a loopback address: ${!var}" >&2; exit 2; }
done

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="$root/.run/bench/$stamp"
out="${out:-$dir/results.md}"
mkdir -p "$dir/logs" "$(dirname "$out")"
work="$(mktemp -d /tmp/integration-sync-bench.XXXXXX)"
trap 'local_infra_stop "$work"; rm -rf "$work"' EXIT
local_infra_start bench "$work" >/dev/null
unset OTEL_EXPORTER_OTLP_ENDPOINT # nothing is exported anywhere while measuring

machine() {
  echo "$(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
started=$SECONDS
echo "Machine at start: $(machine)" | tee "$dir/machine.txt"

# One build of every listed project, through a solution filter made from the list.
projects=()
for entry in "${selected[@]}"; do
  read -r _ folder _ <<<"$entry"
  projects+=("$(ls bench/"$folder"/*.csproj)")
done
python3 -c 'import json, sys
print(json.dumps({"solution": {"path": sys.argv[1], "projects": sorted(set(sys.argv[2:]))}}))' \
  "$root/IntegrationSync.sln" "${projects[@]}" >"$work/bench.slnf"
echo "Building the harnesses (Release)..."
dotnet build "$work/bench.slnf" -c Release -nologo -clp:ErrorsOnly -v:q >"$dir/logs/build.log" 2>&1 \
  || { tail -30 "$dir/logs/build.log" >&2; exit 1; }

# runs.tsv: name, run, exit status, log, command; bench_table.py reads the result lines from the logs.
printf 'name\trun\tstatus\tlog\tcommand\n' >"$dir/runs.tsv"
for run in $(seq 1 "$runs"); do
  for entry in "${selected[@]}"; do
    read -r name folder arguments <<<"$entry"
    csproj="$(ls bench/"$folder"/*.csproj)"
    log="$dir/logs/$name.$run.log"
    printf 'run %s/%s  %-20s' "$run" "$runs" "$name"
    clock=$SECONDS
    status=0
    # shellcheck disable=SC2086 # the arguments are words
    timeout -k 30 "$run_limit_seconds" dotnet "bench/$folder/bin/Release/net10.0/$(basename "$csproj" .csproj).dll" $arguments \
      >"$log" 2>&1 || status=$?
    grep -q '^BENCH_RESULT ' "$log" || [ "$status" -ne 0 ] || status="no result line"
    echo " $((SECONDS - clock)) s$([ "$status" = 0 ] || echo ", FAILED ($status): ${log#"$root"/}")"
    [ "$status" = 0 ] || { grep -v '^{"@t' "$log" | tail -5 | sed 's/^/    /' >&2 || true; }
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$status" "${log#"$root"/}" \
      "dotnet run -c Release --project bench/$folder -- $arguments" >>"$dir/runs.tsv"
  done
done

echo "Machine at end: $(machine)" | tee -a "$dir/machine.txt"
set +e
{
  echo "Each value: median of $runs run(s) (min–max); build and runs took $((SECONDS - started)) s on $(head -1 "$dir/machine.txt" | sed 's/^Machine at start: //')."
  echo
  python3 scripts/lib/bench_table.py "$dir/runs.tsv"
} | tee "$out"
status=${PIPESTATUS[0]}
echo
echo "Table: ${out#"$root"/}; logs: ${dir#"$root"/}/logs/"
exit "$status"
