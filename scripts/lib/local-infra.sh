# shellcheck shell=bash
# Shared by test.sh and bench.sh: RabbitMQ and the Cosmos test server on free loopback ports for one run, unless
# RABBITMQ_URL / COSMOS_DB_ENDPOINT are already set (those are then used as they are and left running).
#
#   source scripts/lib/local-infra.sh
#   trap 'local_infra_stop "$work"' EXIT
#   local_infra_start NAME "$work"   # exports RABBITMQ_URL, COSMOS_DB_ENDPOINT and integration_sync_local_env's settings
_LOCAL_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=rabbitmq.sh
source "$_LOCAL_INFRA_DIR/rabbitmq.sh"
# shellcheck source=cosmos.sh
source "$_LOCAL_INFRA_DIR/cosmos.sh"
# shellcheck source=test-env.sh
source "$_LOCAL_INFRA_DIR/test-env.sh"
_LOCAL_INFRA_STARTED=""

local_infra_start() {
  local name="$1" work="$2" port
  if [ -z "${RABBITMQ_URL:-}" ]; then
    rabbitmq_install
    port="$(free_port)"
    RABBITMQ_FRESH=1 rabbitmq_start "$name" "$port" 0 "$work/rabbitmq"
    _LOCAL_INFRA_STARTED+=" rabbitmq"
    export RABBITMQ_URL="amqp://guest:guest@127.0.0.1:${port}/"
    # Lets broker-restart tests drive this instance.
    export INTEGRATION_SYNC_TEST_RABBITMQ_DIR="$work/rabbitmq"
  fi
  if [ -z "${COSMOS_DB_ENDPOINT:-}" ]; then
    cosmos_install
    port="$(free_port)"
    cosmos_start "$port" "$work/cosmos.log" "$work/cosmos.pid"
    _LOCAL_INFRA_STARTED+=" cosmos"
    export COSMOS_DB_ENDPOINT="http://127.0.0.1:${port}/"
  fi
  integration_sync_local_env
}

# Stops what local_infra_start started in WORK, nothing else.
local_infra_stop() {
  local work="$1"
  case "$_LOCAL_INFRA_STARTED" in *cosmos*) cosmos_stop "$work/cosmos.pid" || true ;; esac
  case "$_LOCAL_INFRA_STARTED" in *rabbitmq*) rabbitmq_stop "$work/rabbitmq" || true ;; esac
}
