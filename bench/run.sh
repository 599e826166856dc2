#!/usr/bin/env bash
# ChatWeb beside ngIRCd, InspIRCd and a bare SignalR hub, in one go: fan-out, idle memory, connect storms.
#
#   bench/run.sh            the full run (about 20 minutes); what docs/performance.md reports
#   bench/run.sh --quick    a smoke run of a minute or two: every server, every scenario, small and short
#   options: --only chatweb-tcp,chatweb-hub,chatweb-mixed,ngircd,inspircd,barehub   --out DIR
#            --scenarios fanout-small,fanout-big,idle,connect   (default: all; fanout-big is in the full run only)
#
# Installs ngircd and inspircd from Debian when missing, writes private loopback configs for them with
# their flood limits relaxed (bench/irc/), builds ChatWeb, the bench and the bare hub in Release, runs
# each server under test on core 0 and the load generator on core 1, and writes results.jsonl (one JSON
# line per run), report.md (tables and ratios), machine.txt and the servers' logs to the output folder.
# Every server it starts is stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMAND="bench/run.sh $*"

MODE=full
ONLY=""
SCENARIOS=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --only) ONLY=",$2,"; shift ;;
    --scenarios) SCENARIOS=",$2,"; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$MODE}
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
if ! command -v ngircd >/dev/null || ! command -v inspircd >/dev/null; then
  log "installing ngircd and inspircd from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq ngircd inspircd >/dev/null
fi
# The IRC packages start a system instance on the standard port; ours listen on their own ports, so it does not matter.

# 5,000 idle connections.
raise_open_files_limit 12000
require_free_ports $HTTP_PORT $TCP_PORT $BAREHUB_PORT $NGIRCD_PORT $INSPIRCD_PORT

log "building ChatWeb, the bench and the bare hub (Release)"
build_release ChatWeb.Server bench/ChatWeb.Bench bench/BareHub
BAREHUB_DLL=$ROOT/bench/BareHub/bin/Release/net10.0/BareHub.dll

sed "s|@PORT@|$NGIRCD_PORT|" bench/irc/ngircd.conf >"$WORK/ngircd.conf"
sed "s|@PORT@|$INSPIRCD_PORT|; s|@LOG@|$OUT/logs/inspircd.log|" bench/irc/inspircd.conf >"$WORK/inspircd.conf"

{
  describe_machine
  echo "ngircd: $(ngircd --version 2>/dev/null | head -1)"
  echo "inspircd: $(dpkg-query -W -f '${Version}' inspircd)"
  echo "server on core $SERVER_CORE, load generator on core $LOAD_CORE"
} >"$OUT/machine.txt"
log "machine: $(sed -n 's/^cpu: //p' "$OUT/machine.txt"), load average $(load_average)"

# ---------------------------------------------------------------------------------------------------
# Servers under test: each started fresh for every scenario, pinned to the server core.

# ChatWeb with every limit off through configuration (bench/lib.sh turns the per-IP ones off; the fan-out
# measures delivery, not the per-user rate limit), otherwise as shipped.
start_chatweb_unlimited() { start_chatweb "$@" --Chat:RatePerSecond=0; }

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
                  [ngircd]=start_ngircd [inspircd]=start_inspircd [barehub]=start_barehub)
declare -A LABEL=([chatweb-tcp]=chatweb [chatweb-hub]=chatweb [chatweb-mixed]=chatweb
                  [ngircd]=ngircd [inspircd]=inspircd [barehub]=barehub)
declare -A TRANSPORT=([chatweb-tcp]=tcp [chatweb-hub]=hub [chatweb-mixed]=mixed [ngircd]=irc [inspircd]=irc [barehub]=barehub)
declare -A ENDPOINTS=([chatweb-tcp]="--tcp 127.0.0.1:$TCP_PORT --http http://127.0.0.1:$HTTP_PORT --accounts $WORK/accounts.tsv"
                      [chatweb-hub]="--tcp 127.0.0.1:$TCP_PORT --http http://127.0.0.1:$HTTP_PORT --accounts $WORK/accounts.tsv"
                      [chatweb-mixed]="--tcp 127.0.0.1:$TCP_PORT --http http://127.0.0.1:$HTTP_PORT --accounts $WORK/accounts.tsv"
                      [ngircd]="--irc 127.0.0.1:$NGIRCD_PORT" [inspircd]="--irc 127.0.0.1:$INSPIRCD_PORT"
                      [barehub]="--http http://127.0.0.1:$BAREHUB_PORT")

# One scenario against one target on a fresh server; a failure is recorded and the run goes on.
scenario() {
  local target=$1; shift
  [ -z "$ONLY" ] || [[ $ONLY == *",$target,"* ]] || return 0
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

if [ "$MODE" = quick ]; then
  ACCOUNTS=50
  FANOUT_SMALL=(fanout --clients 50 --senders 5 --rate 2000 --seconds 3 --drain 3)
  IDLE=(idle --clients 300)
  CONNECT_RESUME=(connect --clients 100 --path resume)
  CONNECT_PASSWORD=(connect --clients 10 --path password)
else
  ACCOUNTS=1000
  FANOUT_SMALL=(fanout --clients 100 --senders 10 --rate 2000 --seconds 3 --drain 3 --step)
  FANOUT_BIG=(fanout --clients 1000 --senders 5 --rate 250 --seconds 3 --drain 3 --step)
  IDLE=(idle --clients 5000)
  CONNECT_RESUME=(connect --clients 1000 --path resume)
  # PBKDF2 on one core: a few hundred sign-ins show its cost; a thousand would only take longer.
  CONNECT_PASSWORD=(connect --clients 200 --path password)
fi

# Accounts, once, kept for every ChatWeb run.
register_accounts $ACCOUNTS

wanted() { [ -z "$SCENARIOS" ] || [[ $SCENARIOS == *",$1,"* ]]; }
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
