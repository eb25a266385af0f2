# shellcheck shell=bash
# Helpers to install and run self-contained, local RabbitMQ broker instances
# (no Docker, no systemd, running as root). Meant to be sourced:
#
#   source scripts/lib/rabbitmq.sh
#   rabbitmq_install
#   RABBITMQ_FRESH=1 rabbitmq_start ci "$(free_port)" "$(free_port)" /tmp/rmq-ci
#   rabbitmq_ctl /tmp/rmq-ci close_all_connections test
#   rabbitmq_stop /tmp/rmq-ci
#
# Functions:
#   rabbitmq_install
#   rabbitmq_start   NAME AMQP_PORT MGMT_PORT BASEDIR   (MGMT_PORT 0 = no management plugin;
#                                                       env RABBITMQ_FRESH=1 wipes data + logs first)
#   rabbitmq_stop    BASEDIR
#   rabbitmq_running BASEDIR
#   rabbitmq_ctl     BASEDIR ARGS...
#   free_port        (only defined when the caller has not defined it)
#
# Every instance lives entirely under BASEDIR: home/ (HOME with .erlang.cookie), mnesia/, log/,
# rabbitmq.conf, enabled_plugins, env.sh (the environment every CLI call needs). CLI calls always
# run with that environment and with BASEDIR as cwd: without HOME/cookie each call wastes ~8 s and
# drops an erl_crash.dump into the current directory.
#
# Sourcing has no side effects beyond defining these functions and RABBITMQ_LIB_REPO_ROOT.
# Safe under `set -euo pipefail`.

RABBITMQ_LIB_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

_RABBITMQ_BIN=/usr/lib/rabbitmq/bin

if ! declare -F free_port >/dev/null 2>&1; then
  # Prints a TCP port that is free on 127.0.0.1 right now.
  free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
  }
fi

_rabbitmq_err() { echo "rabbitmq: $*" >&2; }

# _rabbitmq_port_free PORT -> 0 if PORT can be bound on 127.0.0.1
_rabbitmq_port_free() {
  python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()' "$1"
}

# _rabbitmq_basedir BASEDIR -> prints the absolute path (directory need not exist)
_rabbitmq_basedir() {
  local d="${1:?BASEDIR required}"
  case "$d" in
    /*) ;;
    *) d="$PWD/$d" ;;
  esac
  printf '%s\n' "${d%/}"
}

# _rabbitmq_cli BASEDIR TOOL ARGS... : runs a CLI tool with the instance's env, cwd = BASEDIR.
_rabbitmq_cli() {
  local base tool
  base="$(_rabbitmq_basedir "${1:-}")"
  tool="$2"
  shift 2
  if [[ ! -f "$base/env.sh" ]]; then
    _rabbitmq_err "no instance environment at $base/env.sh (was rabbitmq_start run?)"
    return 1
  fi
  (
    cd "$base" || exit 1
    # shellcheck disable=SC1091
    . "$base/env.sh"
    if [[ ! -s "$HOME/.erlang.cookie" ]]; then
      echo "rabbitmq: missing cookie $HOME/.erlang.cookie, refusing to run $tool" >&2
      exit 1
    fi
    exec "$_RABBITMQ_BIN/$tool" "$@"
  )
}

# _rabbitmq_pid BASEDIR -> prints the broker's pid (from the node's pid file or the launcher's)
_rabbitmq_pid() {
  local base="$1" f pid
  for f in "$base/rabbitmq.pid" "$base/server.pid"; do
    if [[ -s "$f" ]]; then
      pid="$(tr -dc '0-9' <"$f")"
      # Only trust a live pid whose environment points at this BASEDIR (guards against pid reuse).
      if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -xF "RABBITMQ_MNESIA_BASE=$base/mnesia" >/dev/null; then
        printf '%s\n' "$pid"
        return 0
      fi
    fi
  done
  return 1
}

_rabbitmq_log_tail() {
  local base="$1" f
  if cat "$base"/log/*.log 2>/dev/null | grep -F eaddrinuse >/dev/null; then
    echo "rabbitmq: hint: a listener port was already in use (eaddrinuse)" >&2
  fi
  for f in "$base"/log/*.log; do
    [[ -f "$f" ]] || continue
    echo "---- tail of $f ----" >&2
    tail -n 30 "$f" >&2 || true
  done
}

rabbitmq_install() {
  if [[ -x "$_RABBITMQ_BIN/rabbitmq-server" ]]; then
    return 0
  fi
  echo "rabbitmq: installing rabbitmq-server via apt-get ..." >&2
  local out
  out="$(mktemp)" || return 1
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    _rabbitmq_err "apt-get update failed"
    return 1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    _rabbitmq_err "apt-get install rabbitmq-server failed"
    return 1
  fi
  rm -f "$out"
  if [[ ! -x "$_RABBITMQ_BIN/rabbitmq-server" ]]; then
    _rabbitmq_err "installed, but $_RABBITMQ_BIN/rabbitmq-server is missing"
    return 1
  fi
}

rabbitmq_running() {
  local base
  base="$(_rabbitmq_basedir "${1:-}")"
  [[ -f "$base/env.sh" ]] || return 1
  _rabbitmq_cli "$base" rabbitmq-diagnostics -q ping >/dev/null 2>&1
}

rabbitmq_ctl() {
  local base
  base="$(_rabbitmq_basedir "${1:-}")"
  shift
  _rabbitmq_cli "$base" rabbitmqctl "$@"
}

rabbitmq_start() {
  if [[ $# -ne 4 ]]; then
    _rabbitmq_err "usage: rabbitmq_start NAME AMQP_PORT MGMT_PORT BASEDIR"
    return 2
  fi
  local name="$1" amqp="$2" mgmt="$3" base port dist ctl_min pid t0 nodename
  base="$(_rabbitmq_basedir "$4")"
  if [[ ! "$name" =~ ^[A-Za-z0-9_-]+$ ]]; then
    _rabbitmq_err "NAME must match [A-Za-z0-9_-]+: '$name'"
    return 2
  fi
  for port in "$amqp" "$mgmt"; do
    if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port > 65535)); then
      _rabbitmq_err "invalid port '$port'"
      return 2
    fi
  done
  if ((amqp == 0)); then
    _rabbitmq_err "AMQP_PORT must be non-zero"
    return 2
  fi
  if [[ ! -x "$_RABBITMQ_BIN/rabbitmq-server" ]]; then
    _rabbitmq_err "$_RABBITMQ_BIN/rabbitmq-server not found (run rabbitmq_install)"
    return 1
  fi
  nodename="rabbit-$name@localhost"

  # Already running in this BASEDIR?
  if [[ -f "$base/env.sh" ]] && rabbitmq_running "$base"; then
    if grep -qx "export RABBITMQ_NODENAME=$nodename" "$base/env.sh" &&
      grep -qx "export RABBITMQ_NODE_PORT=$amqp" "$base/env.sh" &&
      grep -qx "export RABBITMQ_LIB_MGMT_PORT=$mgmt" "$base/env.sh" &&
      [[ "${RABBITMQ_FRESH:-0}" != 1 ]]; then
      echo "rabbitmq: $nodename already running in $base (amqp 127.0.0.1:$amqp, mgmt ${mgmt})"
      return 0
    fi
    _rabbitmq_err "another broker is running in $base; stop it first (rabbitmq_stop $base)"
    return 1
  fi
  # A leftover process of this instance that does not answer ping (booting or hung).
  if pid="$(_rabbitmq_pid "$base")"; then
    _rabbitmq_err "process $pid of a previous instance in $base is still alive; stop it first (rabbitmq_stop $base)"
    return 1
  fi

  for port in "$amqp" "$mgmt"; do
    ((port == 0)) && continue
    if ! _rabbitmq_port_free "$port"; then
      _rabbitmq_err "port 127.0.0.1:$port is already in use"
      return 1
    fi
  done

  if [[ "${RABBITMQ_FRESH:-0}" == 1 ]]; then
    rm -rf "$base/mnesia" "$base/log"
  fi
  mkdir -p "$base/home" "$base/mnesia" "$base/log" || return 1
  chmod 700 "$base/home"
  if [[ ! -s "$base/home/.erlang.cookie" ]]; then
    rm -f "$base/home/.erlang.cookie"
    (
      umask 077
      python3 -c 'import secrets, string; print("".join(secrets.choice(string.ascii_uppercase) for _ in range(32)), end="")' \
        >"$base/home/.erlang.cookie"
    ) || return 1
  fi
  chmod 400 "$base/home/.erlang.cookie"

  # Erlang distribution port for the node; CLI tools use RABBITMQ_CTL_DIST_PORT_MIN..MAX, which
  # defaults to dist+10000.. and would overflow for high ports, so pin a range that is valid.
  dist="$(free_port)"
  while ((dist == amqp || dist == mgmt)); do dist="$(free_port)"; done
  if ((dist + 10010 <= 65535)); then ctl_min=$((dist + 10000)); else ctl_min=$((dist - 10010)); fi

  {
    echo "listeners.tcp.default = 127.0.0.1:$amqp"
    if ((mgmt != 0)); then
      echo "management.tcp.ip = 127.0.0.1"
      echo "management.tcp.port = $mgmt"
    fi
  } >"$base/rabbitmq.conf"
  if ((mgmt != 0)); then
    echo '[rabbitmq_management].' >"$base/enabled_plugins"
  else
    echo '[].' >"$base/enabled_plugins"
  fi
  : >"$base/rabbitmq-env.conf"

  local -a vars=(
    "HOME=$base/home"
    "RABBITMQ_NODENAME=$nodename"
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
    "RABBITMQ_NODE_PORT=$amqp"
    "RABBITMQ_DIST_PORT=$dist"
    "RABBITMQ_CTL_DIST_PORT_MIN=$ctl_min"
    "RABBITMQ_CTL_DIST_PORT_MAX=$((ctl_min + 10))"
    "RABBITMQ_MNESIA_BASE=$base/mnesia"
    "RABBITMQ_LOG_BASE=$base/log"
    "RABBITMQ_PID_FILE=$base/rabbitmq.pid"
    "RABBITMQ_CONFIG_FILE=$base/rabbitmq.conf"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins"
    "RABBITMQ_CONF_ENV_FILE=$base/rabbitmq-env.conf"
    "ERL_CRASH_DUMP=$base/erl_crash.dump"
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    "RABBITMQ_LIB_MGMT_PORT=$mgmt"
  )
  local v
  {
    echo "# generated by scripts/lib/rabbitmq.sh rabbitmq_start; source before any rabbitmq CLI call"
    for v in "${vars[@]}"; do
      printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
    done
  } >"$base/env.sh"

  rm -f "$base/rabbitmq.pid" "$base/server.pid"
  t0=$SECONDS
  (
    cd "$base" || exit 1
    # shellcheck disable=SC1091
    . "$base/env.sh"
    exec nohup "$_RABBITMQ_BIN/rabbitmq-server" </dev/null >>"$base/log/stdout.log" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$base/server.pid"

  if ! _rabbitmq_cli "$base" rabbitmqctl wait --pid "$pid" --timeout 120 >"$base/log/wait.out" 2>&1; then
    # Clean up first (a node whose boot failed may linger), then report.
    if kill -0 "$pid" 2>/dev/null || _rabbitmq_pid "$base" >/dev/null; then
      rabbitmq_stop "$base" >/dev/null 2>&1 || true
    fi
    _rabbitmq_err "broker $nodename failed to start (see $base/log)"
    cat "$base/log/wait.out" >&2 || true
    _rabbitmq_log_tail "$base"
    return 1
  fi
  echo "rabbitmq: $nodename up in $((SECONDS - t0)) s (amqp 127.0.0.1:$amqp$( ((mgmt != 0)) && echo ", mgmt http://127.0.0.1:$mgmt"), dir $base)"
}

rabbitmq_stop() {
  local base pid i
  base="$(_rabbitmq_basedir "${1:-}")"
  [[ -f "$base/env.sh" ]] || return 0
  # shutdown blocks until the OS process is gone; fails fast if the node is not running.
  (
    cd "$base" || exit 1
    # shellcheck disable=SC1091
    . "$base/env.sh"
    [[ -s "$HOME/.erlang.cookie" ]] || exit 1
    exec timeout 30 "$_RABBITMQ_BIN/rabbitmqctl" shutdown
  ) >/dev/null 2>&1 || true
  if pid="$(_rabbitmq_pid "$base")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$base/server.pid" "$base/rabbitmq.pid"
  return 0
}
