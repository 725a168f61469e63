#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ from a real local run: starts
# `./settle local --prometheus` with a short SLA (so deadlines are missed within minutes), waits
# until Prometheus has alerts firing, then shoots with headless Chromium:
#   flink-job-graph.png     the Flink web UI's job graph of the running job
#   prometheus-alerts.png   Prometheus' alerts page with the project's rules
#   prometheus-alert-types.png  the dashboard's "alerts raised by type" query in Prometheus
# and stops everything (also on Ctrl-C or failure).
#
#   docs/screenshots/take.sh [--ui-port P] [--metrics-port P] [--prometheus-port P] [--out DIR]
#
# Needs chromium and prometheus (Debian: apt-get install chromium prometheus) and free ports
# (8081, 9249 and 9090 unless given).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/docs/screenshots"
UI_PORT=8081
METRICS_PORT=9249
PROMETHEUS_PORT=9090
WAIT_SECONDS=240

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "take.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --ui-port|--metrics-port|--prometheus-port|--out)
      [[ $# -ge 2 ]] || { echo "take.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --ui-port) UI_PORT="$2" ;;
        --metrics-port) METRICS_PORT="$2" ;;
        --prometheus-port) PROMETHEUS_PORT="$2" ;;
        --out) OUT="$2" ;;
      esac
      shift ;;
    *) echo "take.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

command -v chromium >/dev/null || die "chromium is not installed (apt-get install chromium)"
command -v prometheus >/dev/null || die "prometheus is not installed (apt-get install prometheus)"
command -v curl >/dev/null || die "curl is not installed"
for port in "$UI_PORT" "$METRICS_PORT" "$PROMETHEUS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use (see ss -ltnp); choose others with --ui-port/--metrics-port/--prometheus-port"
  fi
done
mkdir -p "$OUT"

LOG=$(mktemp)
PROFILE=$(mktemp -d)
SETTLE_PID=""
stop() {
  if [[ -n "$SETTLE_PID" ]] && kill -0 "$SETTLE_PID" 2>/dev/null; then
    echo "take.sh: stopping the local run ..." >&2
    kill -TERM "$SETTLE_PID" 2>/dev/null || true  # the JVM's shutdown hooks stop job, Kafka and Prometheus
    for _ in $(seq 60); do kill -0 "$SETTLE_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SETTLE_PID" 2>/dev/null || true
  fi
  rm -rf "$PROFILE" "$LOG"
}
trap stop EXIT

# Half the default rate, so that two shared cores keep up; a short SLA: bookings without a
# deadline are due 40 s after booking, at risk 15 s before.
"$ROOT/settle" local --prometheus --duration 10m --rate 1000 \
  --ui-port "$UI_PORT" --metrics-port "$METRICS_PORT" --prometheus-port "$PROMETHEUS_PORT" \
  --sla.settlement-window 40s --sla.at-risk-lead 15s >"$LOG" 2>&1 &
SETTLE_PID=$!

# wait_until SECONDS DESCRIPTION COMMAND...: polls every 2 s; fails loudly at the deadline.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    kill -0 "$SETTLE_PID" 2>/dev/null || { tail -30 "$LOG" >&2; die "the local run ended while waiting for $what"; }
    ((SECONDS < deadline)) || { tail -30 "$LOG" >&2; die "timed out after ${seconds}s waiting for $what"; }
    sleep 2
  done
}

job_started() { grep -q '^settle local: job [0-9a-f]\{32\} running' "$LOG"; }
wait_until "$WAIT_SECONDS" "the job to start" job_started
JOB_ID=$(sed -n 's/^settle local: job \([0-9a-f]\{32\}\) running$/\1/p' "$LOG" | head -1)
echo "take.sh: job $JOB_ID running" >&2

# The alerts Prometheus has firing, one name a line.
firing_alerts() {
  curl -fsS --get --data-urlencode 'query=ALERTS{alertstate="firing"}' \
    "http://localhost:$PROMETHEUS_PORT/api/v1/query" \
    | grep -o '"alertname":"[A-Za-z]*"' | cut -d'"' -f4 | sort -u
}
# What the generator's traffic raises within minutes: its double payments, its 0.5% malformed
# records (above the 0.1% threshold) and, with the short SLA, its never-confirmed legs.
EXPECTED_ALERTS=(SettleDoublePayments SettleDeadLettersHigh SettleDeadlinesMissed)
expected_alerts_firing() {
  local firing
  firing=$(firing_alerts 2>/dev/null) || return 1 # Prometheus not answering yet
  for alert in "${EXPECTED_ALERTS[@]}"; do
    grep -qx "$alert" <<<"$firing" || return 1
  done
}
wait_until "$WAIT_SECONDS" "${EXPECTED_ALERTS[*]} to fire in Prometheus" expected_alerts_firing
echo "take.sh: firing: $(firing_alerts | tr '\n' ' ')" >&2
sleep 30 # a little more history for the graph

shoot() {
  local file=$1 url=$2 size=${3:-1400,900}
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$PROFILE" \
    --hide-scrollbars --virtual-time-budget=10000 \
    --screenshot="$OUT/$file" --window-size="$size" "$url" >/dev/null 2>&1 \
    || die "chromium could not shoot $url"
  [[ -s "$OUT/$file" ]] || die "chromium wrote no $file"
  echo "take.sh: $OUT/$file <- $url" >&2
}

shoot flink-job-graph.png "http://localhost:$UI_PORT/#/job/running/$JOB_ID/overview"
shoot prometheus-alerts.png "http://localhost:$PROMETHEUS_PORT/classic/alerts"
QUERY='sum by (type) (rate(flink_taskmanager_job_task_operator_type_alerts{app="settle"}[1m]))'
ENCODED=$(printf '%s' "$QUERY" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g')
shoot prometheus-alert-types.png \
  "http://localhost:$PROMETHEUS_PORT/classic/graph?g0.expr=$ENCODED&g0.tab=0&g0.range_input=3m" 1400,1150
