#!/usr/bin/env bash
# The soak of docs/reliability.md: ChatWeb with hundreds of clients chatting for minutes on end, watched for leaks.
#
#   bench/soak.sh                              500 clients (half TCP, half hub) chatting for 10 minutes
#   bench/soak.sh --minutes 1 --clients 100    a quick check (about 2 minutes)
#   options: --clients N (500)  --minutes M (10)  --rate-per-client R (0.2 msgs/s)  --churn-clients C (10)
#            --sample-seconds S (10)  --transport mixed|tcp|hub  --out DIR
#
# Builds ChatWeb and the bench in Release, registers an account per client, and starts ChatWeb afresh on those
# accounts, pinned to core 0, with its per-IP limits off (every client comes from 127.0.0.1) and everything else
# as shipped, the per-user rate limit included (5 msgs/s; R stays far below it). The bench, on core 1, joins the
# N counted clients, has each send R messages a second and count everything it receives, while C more clients
# come and go, and samples the server every S seconds. Writes results.jsonl (the samples and the summary),
# report.md (the time series a row a minute, deliveries expected against received, errors, resources),
# machine.txt and logs/ (soak.log is the server's log) to bench/results/<time>-soak/. Stops the server on
# exit, failure or Ctrl-C. Exits 1 when the soak was not clean.
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMAND="bench/soak.sh $*"

CLIENTS=500 MINUTES=10 RATE=0.2 CHURN=10 SAMPLE=10 TRANSPORT=mixed OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift ;;
    --minutes) MINUTES=$2; shift ;;
    --rate-per-client) RATE=$2; shift ;;
    --churn-clients) CHURN=$2; shift ;;
    --sample-seconds) SAMPLE=$2; shift ;;
    --transport) TRANSPORT=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set /p' "$SELF" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)-soak}
mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
WORK=$(mktemp -d /tmp/chatweb-soak.XXXXXX)
# Not run.sh's ports: the two can run side by side.
HTTP_PORT=17381 TCP_PORT=17756
# shellcheck source=bench/lib.sh
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

raise_open_files_limit $((2 * (CLIENTS + CHURN) + 1000))
require_free_ports $HTTP_PORT $TCP_PORT
log "building ChatWeb and the bench (Release)"
build_release ChatWeb.Server bench/ChatWeb.Bench
{
  describe_machine
  echo "server on core $SERVER_CORE, load generator on core $LOAD_CORE"
  echo "load average before: $(load_average)"
} >"$OUT/machine.txt"
log "machine: $(sed -n 's/^cpu: //p' "$OUT/machine.txt"), load average $(load_average)"

register_accounts $((CLIENTS + CHURN))

# The server's handles by kind (sockets, pipes, epoll and event handles, files) and its resident memory.
handle_kinds() {
  # A handle may close between listing and reading it.
  for fd in /proc/"$SERVER_PID"/fd/*; do readlink "$fd" || true; done | sed -E 's/:\[[0-9]+\]$//' | sort | uniq -c | sort -rn
}
server_state() {
  echo "$(find /proc/"$SERVER_PID"/fd -mindepth 1 | wc -l) handles, RSS $(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' /proc/"$SERVER_PID"/status) MiB"
}

start_chatweb soak $SERVER_CORE
handle_kinds >"$OUT/logs/handles-before.txt"
BEFORE=$(server_state)
# Room for the joins and the drain after the chat; a hung soak still ends.
TIMEOUT=$(awk -v m="$MINUTES" 'BEGIN { print int(m * 60 + 900) }')
STATUS=0
bench soak --target chatweb --transport "$TRANSPORT" --pid "$SERVER_PID" \
    --tcp 127.0.0.1:$TCP_PORT --http http://127.0.0.1:$HTTP_PORT --accounts "$WORK/accounts.tsv" \
    --clients "$CLIENTS" --minutes "$MINUTES" --rate-per-client "$RATE" --churn-clients "$CHURN" --sample-seconds "$SAMPLE" \
    --server-log "$WORK/data-soak/log.txt" --timeout "$TIMEOUT" || STATUS=$?
# Once the bench has exited no client socket is left, its pooled HTTP connections included: the truest "after".
sleep 5
handle_kinds >"$OUT/logs/handles-after.txt"
AFTER=$(server_state)
stop_server

echo "end: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(load_average)" >>"$OUT/machine.txt"
{
  dotnet "$BENCH_DLL" report --results "$RESULTS"
  echo "Server before the bench started: $BEFORE; 5 s after it exited: $AFTER (by kind: logs/handles-before.txt, logs/handles-after.txt)"
  # The whole log, the server's shutdown included (the bench stopped watching before it).
  echo "Server log, start to exit: $(grep -cE '^[0-9-]+ [0-9:.]+ \[(ERR|FTL)\]' "$OUT/logs/soak.log") error/fatal entries," \
       "$(grep -cE '^[0-9-]+ [0-9:.]+ \[WRN\]' "$OUT/logs/soak.log") warnings (logs/soak.log)"
} | tee "$OUT/report.md"
log "results in $OUT"
exit "$STATUS"
