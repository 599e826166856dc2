# shellcheck shell=bash
# Shared by bench/run.sh and bench/soak.sh (sourced, not run): building, starting and stopping ChatWeb for a
# measurement, registering the run's accounts, and running the bench tool on its core.
#
# The caller sets, before calling anything here: ROOT (the repository), OUT (the output folder, with logs/),
# WORK (a scratch folder removed on exit), HTTP_PORT and TCP_PORT (ChatWeb's), RESULTS (the JSON lines file),
# and calls `trap cleanup EXIT` so that every server started is stopped, and the base's worktree (bench/run.sh
# --baseline) removed, on exit, failure or Ctrl-C.

SERVER_CORE=0
LOAD_CORE=1
SERVER_PID=""
BENCH_PID=""
BASE_TREE=""
# The ChatWeb that start_chatweb starts, and the accounts it starts with ($WORK/$ACCOUNT_SET/ and $WORK/$ACCOUNT_SET.tsv);
# bench/run.sh --baseline sets both for the base commit's runs.
SERVER_DLL=$ROOT/ChatWeb.Server/bin/Release/net10.0/ChatWeb.Server.dll
ACCOUNT_SET=accounts
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
  remove_base_worktree
  rm -rf "$WORK"
}

# A detached worktree of REF at DIR (outside the repository), for building another commit beside this one.
#   add_base_worktree DIR REF
add_base_worktree() {
  BASE_TREE=$1
  git -C "$ROOT" worktree add --detach --quiet "$1" "$2"
}

# Its files and its entry in the repository's worktree list; a half-made one (Ctrl-C during the checkout) too.
remove_base_worktree() {
  [ -n "$BASE_TREE" ] || return 0
  if ! git -C "$ROOT" worktree remove --force "$BASE_TREE" 2>/dev/null; then
    rm -rf "$BASE_TREE"
    git -C "$ROOT" worktree prune 2>/dev/null || true
  fi
  BASE_TREE=""
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

# The base commit's server, in its worktree. No build servers: none is left running from a folder about to go.
build_base_release() {
  dotnet build "$BASE_TREE/ChatWeb.Server" -c Release -nologo -v quiet --disable-build-servers >"$OUT/logs/build-base.log" 2>&1 ||
    { cat "$OUT/logs/build-base.log" >&2; exit 1; }
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

# ChatWeb ($SERVER_DLL) as shipped, in Production, but for its per-IP limits (every bench client comes from
# 127.0.0.1), on a fresh data directory that holds only the run's accounts (logins.csv and the Data Protection
# keys that sign their tokens: $WORK/$ACCOUNT_SET); more --Key=value options may follow and win. Its log is
# logs/NAME.log, its data $WORK/data-NAME.
#   start_chatweb NAME CORES [OPTION...]
start_chatweb() {
  local name=$1 cores=$2 data=$WORK/data-$1 accounts=$WORK/$ACCOUNT_SET
  shift 2
  rm -rf "$data"; mkdir -p "$data"
  [ -f "$accounts/logins.csv" ] && cp -r "$accounts/logins.csv" "$accounts/keys" "$data/"
  (cd "$(dirname "$SERVER_DLL")" && ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production exec taskset -c "$cores" dotnet "$SERVER_DLL" \
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

# COUNT accounts registered through the API of $SERVER_DLL on both cores (setup, not a measurement) and kept in
# $WORK/$ACCOUNT_SET for every ChatWeb started afterwards with that set; their names, passwords and tokens in
# $WORK/$ACCOUNT_SET.tsv. TARGET labels the registration's result line (default chatweb).
#   register_accounts COUNT [TARGET]
register_accounts() {
  local target=${2:-chatweb}
  log "registering $1 accounts on $target"
  start_chatweb "$ACCOUNT_SET" "$SERVER_CORE,$LOAD_CORE"
  bench register --target "$target" --pid "$SERVER_PID" --http "http://127.0.0.1:$HTTP_PORT" --count "$1" --parallel 8 --accounts "$WORK/$ACCOUNT_SET.tsv"
  stop_server
  mkdir -p "$WORK/$ACCOUNT_SET"
  cp -r "$WORK/data-$ACCOUNT_SET/logins.csv" "$WORK/data-$ACCOUNT_SET/keys" "$WORK/$ACCOUNT_SET/"
}
