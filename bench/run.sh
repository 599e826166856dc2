#!/usr/bin/env bash
# ChatWeb beside ngIRCd, InspIRCd and a bare SignalR hub, in one go: fan-out, idle memory, connect storms.
#
#   bench/run.sh            the full run (about 25 minutes); what docs/performance.md reports
#   bench/run.sh --quick    a smoke run of a few minutes: every server, every scenario, small and short
#   bench/run.sh --baseline REF [--repeat N]
#                           ChatWeb against ChatWeb at REF (a commit, e.g. d77e441), in one run: TCP and hub fan-out,
#                           idle memory and connect, each scenario run on the base and on this tree in turn (which goes
#                           first alternates), N times each (default 1); report.md ends with a table of both, a ratio
#                           and a verdict per measure. Works with --quick, --only and --scenarios.
#   options: --only chatweb-tcp,chatweb-hub,chatweb-mixed,ngircd,inspircd,barehub   --out DIR
#            --scenarios fanout-small,fanout-big,idle,connect   (default: all; fanout-big is in the full run only)
#
# Installs ngircd and inspircd from Debian when missing, writes private loopback configs for them with
# their flood limits relaxed (bench/irc/), builds ChatWeb, the bench and the bare hub in Release, runs
# each server under test on core 0 and the load generator on core 1, and writes results.jsonl (one JSON
# line per run), report.md (tables and ratios), machine.txt and the servers' logs to the output folder.
# With --baseline it checks REF out in a temporary worktree outside the repository, builds its server in
# Release, starts it exactly like this tree's (Production, same ports, a fresh data directory in a temporary
# folder, the same options; accounts registered on each build), and skips the other servers.
# Every server it starts is stopped, and the worktree removed, on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMAND="bench/run.sh $*"

MODE=full
ONLY=""
SCENARIOS=""
OUT=""
BASELINE=""
REPEAT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --only) ONLY=",$2,"; shift ;;
    --scenarios) SCENARIOS=",$2,"; shift ;;
    --out) OUT=$2; shift ;;
    --baseline) BASELINE=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "--repeat takes a count" >&2; exit 2; }
if [ -n "$BASELINE" ]; then
  BASE_COMMIT=$(git rev-parse --verify --quiet "$BASELINE^{commit}") || { echo "--baseline $BASELINE: no such commit" >&2; exit 2; }
  # Only ChatWeb is compared with its base; mixed on request.
  ONLY=${ONLY:-,chatweb-tcp,chatweb-hub,}
fi

OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$MODE${BASELINE:+-vs-$BASELINE}}
mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
WORK=$(mktemp -d /tmp/chatweb-bench.XXXXXX)
HTTP_PORT=17080 TCP_PORT=17555 BAREHUB_PORT=17090 NGIRCD_PORT=17667 INSPIRCD_PORT=17668
FAILURES=0
# Starting ChatWeb, registering its accounts, running the bench tool: shared with bench/soak.sh.
# shellcheck source=bench/lib.sh
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------
# Setup

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ -z "$BASELINE" ] && { ! command -v ngircd >/dev/null || ! command -v inspircd >/dev/null; }; then
  log "installing ngircd and inspircd from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq ngircd inspircd >/dev/null
fi
# The IRC packages start a system instance on the standard port; ours listen on their own ports, so it does not matter.

# 5,000 idle connections.
raise_open_files_limit 12000
require_free_ports $HTTP_PORT $TCP_PORT $BAREHUB_PORT $NGIRCD_PORT $INSPIRCD_PORT

BAREHUB_DLL=$ROOT/bench/BareHub/bin/Release/net10.0/BareHub.dll
if [ -n "$BASELINE" ]; then
  log "building ChatWeb and the bench (Release)"
  build_release ChatWeb.Server bench/ChatWeb.Bench
  log "building the base, $BASELINE ($(git log -1 --format='%h %s' "$BASE_COMMIT" | cut -c1-80)), in a temporary worktree"
  add_base_worktree "$WORK/base" "$BASE_COMMIT"
  build_base_release
  BASE_DLL=$BASE_TREE/ChatWeb.Server/bin/Release/net10.0/ChatWeb.Server.dll
else
  log "building ChatWeb, the bench and the bare hub (Release)"
  build_release ChatWeb.Server bench/ChatWeb.Bench bench/BareHub
  sed "s|@PORT@|$NGIRCD_PORT|" bench/irc/ngircd.conf >"$WORK/ngircd.conf"
  sed "s|@PORT@|$INSPIRCD_PORT|; s|@LOG@|$OUT/logs/inspircd.log|" bench/irc/inspircd.conf >"$WORK/inspircd.conf"
fi

{
  describe_machine
  if [ -n "$BASELINE" ]; then
    echo "base: $BASELINE = $(git log -1 --format='%H %s' "$BASE_COMMIT" | cut -c1-120)"
    echo "order: each scenario on both, which goes first alternating, $REPEAT time(s)"
  else
    echo "ngircd: $(ngircd --version 2>/dev/null | head -1)"
    echo "inspircd: $(dpkg-query -W -f '${Version}' inspircd)"
  fi
  echo "server on core $SERVER_CORE, load generator on core $LOAD_CORE"
} >"$OUT/machine.txt"
log "machine: $(sed -n 's/^cpu: //p' "$OUT/machine.txt"), load average $(load_average)"

# ---------------------------------------------------------------------------------------------------
# Servers under test: each started fresh for every scenario, pinned to the server core.

# ChatWeb with every limit off through configuration (bench/lib.sh turns the per-IP ones off; the fan-out
# measures delivery, not the per-user rate limit), otherwise as shipped.
start_chatweb_unlimited() { start_chatweb "$@" --Chat:RatePerSecond=0; }
# The base commit's, started the same way, with the accounts registered on it.
start_base_unlimited() { SERVER_DLL=$BASE_DLL ACCOUNT_SET=accounts-base start_chatweb "$@" --Chat:RatePerSecond=0; }

start_barehub() {
  (cd "$(dirname "$BAREHUB_DLL")" && exec taskset -c $SERVER_CORE dotnet "$BAREHUB_DLL" --urls "http://127.0.0.1:$BAREHUB_PORT") >"$OUT/logs/$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port $BAREHUB_PORT
}

start_ngircd() {
  taskset -c $SERVER_CORE ngircd --nodaemon --config "$WORK/ngircd.conf" >"$OUT/logs/$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port $NGIRCD_PORT
}

start_inspircd() {
  taskset -c $SERVER_CORE inspircd --config="$WORK/inspircd.conf" --nofork --nopid --runasroot >"$OUT/logs/$1.log" 2>&1 &
  SERVER_PID=$!
  wait_port $INSPIRCD_PORT
}

# target name -> how to start it, its bench label, transport and endpoint options
declare -A START=([chatweb-tcp]=start_chatweb_unlimited [chatweb-hub]=start_chatweb_unlimited [chatweb-mixed]=start_chatweb_unlimited
                  [base-tcp]=start_base_unlimited [base-hub]=start_base_unlimited [base-mixed]=start_base_unlimited
                  [ngircd]=start_ngircd [inspircd]=start_inspircd [barehub]=start_barehub)
declare -A LABEL=([chatweb-tcp]=chatweb [chatweb-hub]=chatweb [chatweb-mixed]=chatweb
                  [base-tcp]=chatweb-base [base-hub]=chatweb-base [base-mixed]=chatweb-base
                  [ngircd]=ngircd [inspircd]=inspircd [barehub]=barehub)
declare -A TRANSPORT=([chatweb-tcp]=tcp [chatweb-hub]=hub [chatweb-mixed]=mixed [base-tcp]=tcp [base-hub]=hub [base-mixed]=mixed
                      [ngircd]=irc [inspircd]=irc [barehub]=barehub)
CHATWEB_ENDPOINTS="--tcp 127.0.0.1:$TCP_PORT --http http://127.0.0.1:$HTTP_PORT --accounts"
declare -A ENDPOINTS=([chatweb-tcp]="$CHATWEB_ENDPOINTS $WORK/accounts.tsv" [chatweb-hub]="$CHATWEB_ENDPOINTS $WORK/accounts.tsv"
                      [chatweb-mixed]="$CHATWEB_ENDPOINTS $WORK/accounts.tsv"
                      [base-tcp]="$CHATWEB_ENDPOINTS $WORK/accounts-base.tsv" [base-hub]="$CHATWEB_ENDPOINTS $WORK/accounts-base.tsv"
                      [base-mixed]="$CHATWEB_ENDPOINTS $WORK/accounts-base.tsv"
                      [ngircd]="--irc 127.0.0.1:$NGIRCD_PORT" [inspircd]="--irc 127.0.0.1:$INSPIRCD_PORT"
                      [barehub]="--http http://127.0.0.1:$BAREHUB_PORT")

# One scenario against one target on a fresh server; a failure is recorded and the run goes on.
# --only names this tree's targets; the base's follow them.
scenario() {
  local target=$1; shift
  [ -z "$ONLY" ] || [[ $ONLY == *",${target/#base-/chatweb-},"* ]] || return 0
  log "$target: $* (load average $(load_average))"
  echo "$(date +%H:%M:%S) $target $* load $(load_average)" >>"$OUT/machine.txt"
  local name
  name=$target-$1-$(date +%H%M%S)
  if ! ${START[$target]} "$name" $SERVER_CORE; then
    log "FAILED to start $target"; FAILURES=$((FAILURES + 1)); stop_server; return 0
  fi
  # shellcheck disable=SC2086 # the endpoint options are several words on purpose
  if ! bench "$@" --target "${LABEL[$target]}" --transport "${TRANSPORT[$target]}" --pid "$SERVER_PID" ${ENDPOINTS[$target]}; then
    log "FAILED: $target $*"; FAILURES=$((FAILURES + 1))
  fi
  stop_server
}

# ---------------------------------------------------------------------------------------------------
# The run

# Every fan-out first runs at two fixed offered loads, low enough for every server and far below the generator's
# limit: server CPU per million deliveries there compares servers even where the generator caps the held rate.
FIXED_LOADS=50000,150000
if [ "$MODE" = quick ]; then
  ACCOUNTS=50
  FANOUT_SMALL=(fanout --clients 50 --senders 5 --rate 2000 --seconds 3 --drain 3 --fixed-deliveries $FIXED_LOADS --fixed-seconds 3)
  IDLE=(idle --clients 300)
  CONNECT_RESUME=(connect --clients 100 --path resume)
  CONNECT_PASSWORD=(connect --clients 10 --path password)
else
  ACCOUNTS=1000
  # 10 s at a fixed load: the server's CPU time is read in hundredths of a second, and a low load uses little of it.
  FANOUT_SMALL=(fanout --clients 100 --senders 10 --rate 2000 --seconds 3 --drain 3 --step --fixed-deliveries $FIXED_LOADS --fixed-seconds 10)
  FANOUT_BIG=(fanout --clients 1000 --senders 5 --rate 250 --seconds 3 --drain 3 --step --fixed-deliveries $FIXED_LOADS --fixed-seconds 10)
  IDLE=(idle --clients 5000)
  CONNECT_RESUME=(connect --clients 1000 --path resume)
  # PBKDF2 on one core: a few hundred sign-ins show its cost; a thousand would only take longer.
  CONNECT_PASSWORD=(connect --clients 200 --path password)
fi

wanted() { [ -z "$SCENARIOS" ] || [[ $SCENARIOS == *",$1,"* ]]; }

if [ -n "$BASELINE" ]; then
  # Accounts on each build, so that neither depends on the other reading its files.
  register_accounts $ACCOUNTS
  SERVER_DLL=$BASE_DLL ACCOUNT_SET=accounts-base register_accounts $ACCOUNTS chatweb-base

  # One scenario on the base and on this tree in turn, REPEAT times; which goes first alternates, so that
  # neither always gets the machine the other has just warmed or left busy.
  PAIRS=0
  compare() {
    local kind=$1; shift
    for _ in $(seq "$REPEAT"); do
      PAIRS=$((PAIRS + 1))
      if [ $((PAIRS % 2)) = 1 ]; then scenario "base-$kind" "$@"; scenario "chatweb-$kind" "$@"
      else scenario "chatweb-$kind" "$@"; scenario "base-$kind" "$@"; fi
    done
  }
  if wanted fanout-small; then for kind in tcp hub mixed; do compare $kind "${FANOUT_SMALL[@]}"; done; fi
  if [ "$MODE" = full ] && wanted fanout-big; then for kind in tcp hub mixed; do compare $kind "${FANOUT_BIG[@]}"; done; fi
  if wanted idle; then for kind in tcp hub; do compare $kind "${IDLE[@]}"; done; fi
  if wanted connect; then for kind in tcp hub; do compare $kind "${CONNECT_RESUME[@]}"; done; fi

  echo "end: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(load_average)" >>"$OUT/machine.txt"
  dotnet "$BENCH_DLL" report --results "$RESULTS" --compare chatweb-base,chatweb | tee "$OUT/report.md"
  log "results in $OUT ($FAILURES scenario(s) failed)"
  [ "$FAILURES" -eq 0 ]
  exit
fi

# Accounts, once, kept for every ChatWeb run.
register_accounts $ACCOUNTS

if wanted fanout-small; then
  for target in chatweb-tcp chatweb-hub chatweb-mixed ngircd inspircd barehub; do scenario $target "${FANOUT_SMALL[@]}"; done
fi
if [ "$MODE" = full ] && wanted fanout-big; then
  for target in chatweb-tcp chatweb-hub ngircd inspircd barehub; do scenario $target "${FANOUT_BIG[@]}"; done
fi
if wanted idle; then
  for target in chatweb-tcp chatweb-hub ngircd inspircd barehub; do scenario $target "${IDLE[@]}"; done
fi
if wanted connect; then
  for target in chatweb-tcp chatweb-hub ngircd inspircd barehub; do scenario $target "${CONNECT_RESUME[@]}"; done
  for target in chatweb-tcp chatweb-hub; do scenario $target "${CONNECT_PASSWORD[@]}"; done
fi

echo "end: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(load_average)" >>"$OUT/machine.txt"
dotnet "$BENCH_DLL" report --results "$RESULTS" | tee "$OUT/report.md"
log "results in $OUT ($FAILURES scenario(s) failed)"
[ "$FAILURES" -eq 0 ]
