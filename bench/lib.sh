# shellcheck shell=bash
# Shared by bench/run.sh and bench/soak.sh (sourced, not run): building, starting and stopping ChatWeb for a
# measurement, registering the run's accounts, and running the bench tool on its core.
#
# The caller sets, before calling anything here: ROOT (the repository), OUT (the output folder, with logs/),
# WORK (a scratch folder removed on exit), HTTP_PORT and TCP_PORT (ChatWeb's), RESULTS (the JSON lines file),
# and calls `trap cleanup EXIT` so that every server started is stopped on exit, failure or Ctrl-C.

SERVER_CORE=0
LOAD_CORE=1
SERVER_PID=""
BENCH_PID=""
SERVER_DLL=$ROOT/ChatWeb.Server/bin/Release/net10.0/ChatWeb.Server.dll
BENCH_DLL=$ROOT/bench/ChatWeb.Bench/bin/Release/net10.0/ChatWeb.Bench.dll

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  [ -z "$BENCH_PID" ] || kill -TERM "$BENCH_PID" 2>/dev/null || true
  stop_server
  rm -rf "$WORK"
}

# Every client needs a descriptor on each side, plus the listeners and files.
raise_open_files_limit() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" -ge "$1" ] || { echo "ulimit -n is $(ulimit -n); this run needs $1" >&2; exit 1; }
}

require_free_ports() {
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is taken; stop what listens there" >&2; exit 1; fi
  done
}

build_release() {
  for project in "$@"; do
    dotnet build "$project" -c Release -nologo -v quiet >"$OUT/logs/build.log" 2>&1 || { cat "$OUT/logs/build.log" >&2; exit 1; }
  done
}

# What any run's machine.txt begins with.
describe_machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $COMMAND"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version) (runtime $(dotnet --list-runtimes | awk '/NETCore.App/ {v=$2} END {print v}'))"
}

wait_port() {
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited; see $OUT/logs" >&2; return 1; }
    sleep 0.1
  done
  echo "nothing listens on port $1 after a minute" >&2
  return 1
}

# ChatWeb as shipped but for its per-IP limits (every bench client comes from 127.0.0.1), on a fresh data
# directory that holds only the run's accounts (logins.csv and the Data Protection keys that sign their
# tokens); more --Key=value options may follow and win. Its log is logs/NAME.log, its data $WORK/data-NAME.
#   start_chatweb NAME CORES [OPTION...]
start_chatweb() {
  local name=$1 cores=$2 data=$WORK/data-$1
  shift 2
  rm -rf "$data"; mkdir -p "$data"
  [ -f "$WORK/accounts/logins.csv" ] && cp -r "$WORK/accounts/logins.csv" "$WORK/accounts/keys" "$data/"
  (cd "$(dirname "$SERVER_DLL")" && exec taskset -c "$cores" dotnet "$SERVER_DLL" \
      --urls "http://127.0.0.1:$HTTP_PORT" --Gateway:Address=127.0.0.1 --Gateway:Port="$TCP_PORT" --Gateway:PortAttempts=1 \
      --Chat:DataDirectory="$data" --Gateway:MaxConnectionsPerIp=0 --Security:SignInAttemptsPerMinutePerIp=0 \
      --Admin:Password=bench-admin-password --Console:Enabled=false "$@") >"$OUT/logs/$name.log" 2>&1 &
  SERVER_PID=$!
  wait_port "$HTTP_PORT" && wait_port "$TCP_PORT"
}

# The bench tool on its core, its JSON lines into $RESULTS and its progress into logs/bench.log as well.
# In the background and waited for, so that a signal to the script is handled at once, not after the scenario.
bench() {
  taskset -c $LOAD_CORE dotnet "$BENCH_DLL" "$@" --results "$RESULTS" >/dev/null 2> >(tee -a "$OUT/logs/bench.log" >&2) &
  BENCH_PID=$!
  local status=0
  wait "$BENCH_PID" || status=$?
  BENCH_PID=""
  return "$status"
}

# COUNT accounts registered through the API on both cores (setup, not a measurement) and kept in
# $WORK/accounts for every ChatWeb started afterwards; their names, passwords and tokens in $WORK/accounts.tsv.
register_accounts() {
  log "registering $1 ChatWeb accounts"
  start_chatweb accounts "$SERVER_CORE,$LOAD_CORE"
  bench register --target chatweb --pid "$SERVER_PID" --http "http://127.0.0.1:$HTTP_PORT" --count "$1" --parallel 8 --accounts "$WORK/accounts.tsv"
  stop_server
  mkdir -p "$WORK/accounts"
  cp -r "$WORK/data-accounts/logins.csv" "$WORK/data-accounts/keys" "$WORK/accounts/"
}
