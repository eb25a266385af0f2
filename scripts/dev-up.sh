#!/usr/bin/env bash
# Starts the whole fleet locally, in the background, on loopback: RabbitMQ (with management), the Cosmos
# test server, the Castiel peer stand-ins (with a sample integration) and the four services.
# Returns when all are healthy; prints the API URL, a dev token and a curl line; writes .run/dev.env.
# A second run while the fleet is up only prints the same facts again. Stop with ./scripts/dev-down.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=lib/cosmos.sh
source scripts/lib/cosmos.sh
# shellcheck source=lib/test-env.sh
source scripts/lib/test-env.sh

run="$root/.run"
mkdir -p "$run/logs" "$run/pids"
services=(castiel-peers:tools/castiel-peers:IntegrationSync.CastielPeers
          sync-api:services/sync-api:IntegrationSync.SyncApi
          sync-runner:services/sync-runner:IntegrationSync.SyncRunner
          event-consumer:services/event-consumer:IntegrationSync.EventConsumer
          token-refresher:services/token-refresher:IntegrationSync.TokenRefresher)

healthy() { curl -fs -o /dev/null --max-time 2 "$1/health/ready"; }

print_facts() {
  # shellcheck source=/dev/null
  source "$run/dev.env"
  local token
  token="$(python3 - "$JWT_SECRET" "$DEV_TENANT_ID" <<'PY'
import base64, hashlib, hmac, json, sys, time
secret, tenant = sys.argv[1], sys.argv[2]
enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
header = enc(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
payload = enc(json.dumps({"sub": "00000000-0000-4000-8000-000000000001", "tenantId": tenant, "type": "access", "iat": now, "exp": now + 12 * 3600}).encode())
sig = enc(hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
print(f"{header}.{payload}.{sig}")
PY
)"
  sed -i '/^DEV_TOKEN=/d' "$run/dev.env" && echo "DEV_TOKEN=$token" >> "$run/dev.env"
  cat <<TXT

IntegrationSync is up.
  API:                 $API_URL   (docs of the routes: README.md)
  RabbitMQ management: $RABBITMQ_MANAGEMENT_URL  (guest/guest)
  Cosmos test server:  $COSMOS_DB_ENDPOINT
  Logs:                .run/logs/*.log     Facts as shell variables: .run/dev.env

Dev token (tenant $DEV_TENANT_ID, 12 h):
  $token

Trigger a sample sync ($DEV_INTEGRATION_ID, 120 records), then read the task:
  curl -s -X POST $API_URL/api/v1/sync/trigger -H "Authorization: Bearer $token" -H "X-Tenant-ID: $DEV_TENANT_ID" -H 'Content-Type: application/json' -d '{"integrationId":"$DEV_INTEGRATION_ID","direction":"inbound"}'
  curl -s $API_URL/api/v1/sync/tasks/<taskId> -H "Authorization: Bearer $token" -H "X-Tenant-ID: $DEV_TENANT_ID"
TXT
}

if [ -f "$run/dev.env" ]; then
  # shellcheck source=/dev/null
  source "$run/dev.env"
  all_up=1
  for entry in "${services[@]}"; do
    name="${entry%%:*}"; var="PORT_${name//-/_}"
    healthy "http://127.0.0.1:${!var:-0}" || all_up=""
  done
  if [ -n "$all_up" ]; then
    echo "The fleet is already running."
    print_facts
    exit 0
  fi
  echo "A previous fleet is partly down; restarting it."
  "$root/scripts/dev-down.sh" >/dev/null 2>&1 || true
fi

integration_sync_local_env
rabbitmq_install
cosmos_install

amqp_port="$(free_port)"; mgmt_port="$(free_port)"; cosmos_port="$(free_port)"
rabbitmq_start dev "$amqp_port" "$mgmt_port" "$run/rabbitmq"
cosmos_start "$cosmos_port" "$run/logs/cosmos.log" "$run/pids/cosmos.pid"

seed="tools/castiel-peers/seed.json"
{
  echo "JWT_SECRET=$JWT_SECRET"
  echo "RABBITMQ_URL=amqp://guest:guest@127.0.0.1:$amqp_port/"
  echo "RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:$mgmt_port/"
  echo "COSMOS_DB_ENDPOINT=http://127.0.0.1:$cosmos_port/"
  echo "DEV_TENANT_ID=$(python3 -c "import json;print(json.load(open('$seed'))['integrations'][0]['tenantId'])")"
  echo "DEV_INTEGRATION_ID=$(python3 -c "import json;print(json.load(open('$seed'))['integrations'][0]['id'])")"
} > "$run/dev.env"

echo "Building the fleet..."
dotnet build IntegrationSync.sln -c Debug -nologo -clp:ErrorsOnly -v:q

api_port=3052
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$api_port/" && api_port="$(free_port)"
for entry in "${services[@]}"; do
  name="${entry%%:*}"
  port="$([ "$name" = sync-api ] && echo "$api_port" || free_port)"
  echo "PORT_${name//-/_}=$port" >> "$run/dev.env"
done
# shellcheck source=/dev/null
source "$run/dev.env"
echo "API_URL=http://127.0.0.1:$PORT_sync_api" >> "$run/dev.env"

for entry in "${services[@]}"; do
  IFS=: read -r name dir project <<< "$entry"
  var="PORT_${name//-/_}"
  (
    cd "$root/$dir"
    export RABBITMQ_URL COSMOS_DB_ENDPOINT JWT_SECRET PORT="${!var}" HOST=127.0.0.1 \
      INTEGRATION_MANAGER_URL="http://127.0.0.1:$PORT_castiel_peers" \
      SECRET_MANAGEMENT_URL="http://127.0.0.1:$PORT_castiel_peers" \
      SHARD_MANAGER_URL="http://127.0.0.1:$PORT_castiel_peers" \
      INTEGRATION_SYNC_CONFIG_DIR="$root/config" WEBHOOKS__ALLOW_HTTP=true \
      OUTBOUND__ALLOWED_NETWORKS__0=127.0.0.0/8 OUTBOUND__ALLOWED_HOSTS__0=localhost
    nohup dotnet "bin/Debug/net10.0/$project.dll" > "$run/logs/$name.log" 2>&1 &
    echo $! > "$run/pids/$name.pid"
  )
done

echo "Waiting for the services to be healthy..."
for entry in "${services[@]}"; do
  name="${entry%%:*}"; var="PORT_${name//-/_}"
  for _ in $(seq 1 120); do
    healthy "http://127.0.0.1:${!var}" && continue 2
    if ! kill -0 "$(cat "$run/pids/$name.pid")" 2>/dev/null; then
      echo "$name exited; last lines of .run/logs/$name.log:" >&2; tail -20 "$run/logs/$name.log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "$name is not healthy after 60 s; see .run/logs/$name.log" >&2; exit 1
done
print_facts
