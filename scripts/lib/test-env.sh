# Shared by test.sh and dev-up.sh: the settings every host needs against the local broker and Cosmos test server.
# shellcheck shell=bash
integration_sync_local_env() {
  export COSMOS_DB_KEY="${COSMOS_DB_KEY:-C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==}"
  export COSMOS_DB_CONNECTION_MODE=gateway
  export COSMOS_DB_LIMIT_TO_ENDPOINT=true
  export JWT_SECRET="${JWT_SECRET:-local-dev-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}
