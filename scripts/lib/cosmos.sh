#!/usr/bin/env bash
# Helpers for the in-memory Cosmos DB test server in tools/cosmos (see tools/cosmos/server.js).
# Source this file; it defines functions only and has no side effects:
#
#   source scripts/lib/cosmos.sh
#   cosmos_install                                  # npm ci in tools/cosmos when needed
#   port="$(free_port)"
#   cosmos_start "$port" /tmp/cosmos.log /tmp/cosmos.pid
#   ...  # endpoint: http://127.0.0.1:$port/  (Gateway mode, LimitToEndpoint = true, any base64 key)
#   cosmos_stop /tmp/cosmos.pid
#
# Safe under `set -euo pipefail`. Needs node + npm, curl and python3.

COSMOS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COSMOS_TOOL_DIR="${COSMOS_REPO_ROOT}/tools/cosmos"

# Installs the pinned server package when node_modules is missing or older than the lockfile.
cosmos_install() {
  local dir="${COSMOS_TOOL_DIR}"
  local stamp="${dir}/node_modules/.package-lock.json"
  if [[ ! -f "${dir}/package-lock.json" ]]; then
    echo "cosmos_install: ${dir}/package-lock.json is missing" >&2
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "cosmos_install: npm not found on PATH" >&2
    return 1
  fi
  if [[ -d "${dir}/node_modules/@vercel/cosmosdb-server" && -f "${stamp}" \
        && ! "${dir}/package-lock.json" -nt "${stamp}" && ! "${dir}/package.json" -nt "${stamp}" ]]; then
    return 0
  fi
  echo "cosmos_install: npm ci in ${dir}" >&2
  (cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error >&2)
}

# Prints a currently free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# cosmos_start PORT LOGFILE PIDFILE - starts the server in the background and waits (up to 20 s)
# until it answers HTTP on http://127.0.0.1:PORT/. Returns non-zero with the log tail otherwise.
cosmos_start() {
  if [[ $# -ne 3 ]]; then
    echo "usage: cosmos_start PORT LOGFILE PIDFILE" >&2
    return 2
  fi
  local port="$1" log="$2" pidfile="$3"
  local node_bin
  node_bin="$(command -v node || true)"
  if [[ -z "${node_bin}" ]]; then
    echo "cosmos_start: node not found on PATH" >&2
    return 1
  fi
  if [[ ! -d "${COSMOS_TOOL_DIR}/node_modules/@vercel/cosmosdb-server" ]]; then
    echo "cosmos_start: dependencies missing - run cosmos_install first" >&2
    return 1
  fi
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${port}/"; then
    echo "cosmos_start: something is already answering on 127.0.0.1:${port}" >&2
    return 1
  fi
  mkdir -p "$(dirname "${log}")" "$(dirname "${pidfile}")"
  COSMOS_PORT="${port}" nohup "${node_bin}" "${COSMOS_TOOL_DIR}/server.js" --port "${port}" \
    >"${log}" 2>&1 </dev/null &
  local pid=$!
  echo "${pid}" >"${pidfile}"
  local deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${port}/"; then
      return 0
    fi
    if ! kill -0 "${pid}" 2>/dev/null; then
      echo "cosmos_start: server process ${pid} exited during startup; log tail (${log}):" >&2
      tail -n 20 "${log}" >&2 || true
      rm -f "${pidfile}"
      return 1
    fi
    sleep 0.1
  done
  echo "cosmos_start: server on port ${port} did not answer within 20 s; log tail (${log}):" >&2
  tail -n 20 "${log}" >&2 || true
  kill "${pid}" 2>/dev/null || true
  rm -f "${pidfile}"
  return 1
}

# cosmos_stop PIDFILE - stops the server started by cosmos_start (SIGTERM, SIGKILL after 5 s).
cosmos_stop() {
  if [[ $# -ne 1 ]]; then
    echo "usage: cosmos_stop PIDFILE" >&2
    return 2
  fi
  local pidfile="$1" pid
  [[ -f "${pidfile}" ]] || return 0
  pid="$(cat "${pidfile}")"
  if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
    kill -TERM "${pid}" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "${pid}" 2>/dev/null; then
      kill -KILL "${pid}" 2>/dev/null || true
    fi
  fi
  rm -f "${pidfile}"
}
