# shellcheck shell=bash
# Shell functions of the drill (drill/run) and the soak (drill/soak), sourced after cluster/lib.sh
# with WORK (the work dir) and SETTLE_CLASSPATH (the launcher's classpath) set: their report's
# steps, the Settle tools as java processes, and a real Kafka broker in its own process
# (kafka.Kafka, KRaft, broker and controller in one, data in $WORK/broker).

BROKER_DIR="$WORK/broker"
BROKER_PID=""
BOOTSTRAP=""

# --- Report -----------------------------------------------------------------------------------

STEPS=()
# record_step NAME RESULT MILLIS DETAILS: one line of the report's table of steps.
record_step() {
  STEPS+=("$(printf '%-42s %-5s %9s  %s' "$1" "$2" "$(secs "$3")" "$4")")
}
# secs MILLIS: "12.3 s" ("-" stays "-").
secs() { [[ "$1" == - ]] && echo - || printf '%d.%01d s' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# --- Processes --------------------------------------------------------------------------------

# A Settle tool (a main class and its arguments) with the launcher's classpath.
TOOL_OPTS=("@$SETTLE_ROOT/flink-conf/jvm.args" -Djava.io.tmpdir="$WORK/tmp"
  -Dlog4j.configurationFile="$SETTLE_ROOT/flink-conf/log4j-local.properties" -cp "$SETTLE_CLASSPATH")
TOOL=(java -Xmx1g "${TOOL_OPTS[@]}")
settle_java() { "${TOOL[@]}" "$@"; }
# check_java: the drill's checks (io.settle.tools.drill.Drill) with the heap they need: every
# record of the events topic and every output in memory (a 30-minute soak: about 470,000 records
# and 370,000 outputs).
check_java() { java -Xmx"${SETTLE_CHECK_HEAP:-4g}" "${TOOL_OPTS[@]}" io.settle.tools.drill.Drill "$@"; }

# create_broker: a fresh broker's configuration and formatted storage in $BROKER_DIR, on free
# ports; sets BOOTSTRAP. Start it with start_broker.
create_broker() {
  mkdir -p "$BROKER_DIR"
  local broker_port controller_port cluster_id
  broker_port="$(pick_port 19092+)"
  controller_port="$(pick_port "$((broker_port + 1))+")"
  BOOTSTRAP="localhost:$broker_port"
  cat >"$BROKER_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$controller_port
listeners=PLAINTEXT://localhost:$broker_port,CONTROLLER://localhost:$controller_port
advertised.listeners=PLAINTEXT://localhost:$broker_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$BROKER_DIR/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
transaction.max.timeout.ms=3600000
message.max.bytes=2228224
auto.create.topics.enable=false
PROPS
  cluster_id="$(java -cp "$SETTLE_CLASSPATH" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  [[ -n "$cluster_id" ]] || die "kafka.tools.StorageTool random-uuid printed no id"
  java -cp "$SETTLE_CLASSPATH" -Dlog4j2.configurationFile="$SETTLE_ROOT/drill/broker-log4j2.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$BROKER_DIR/server.properties" \
    >"$BROKER_DIR/format.out" 2>&1 || die "formatting the broker's storage failed: see $BROKER_DIR/format.out"
}

# start_broker: the broker of create_broker, on its data as it is; waits until it answers.
start_broker() {
  java -Xmx768m -Djava.io.tmpdir="$WORK/tmp" \
    -Dlog4j2.configurationFile="$SETTLE_ROOT/drill/broker-log4j2.properties" \
    -cp "$SETTLE_CLASSPATH" kafka.Kafka "$BROKER_DIR/server.properties" \
    >>"$BROKER_DIR/broker.out" 2>&1 </dev/null &
  BROKER_PID=$!
  echo "$BROKER_PID" >"$BROKER_DIR/broker.pid"
  settle_java io.settle.tools.drill.Drill await-broker --bootstrap "$BOOTSTRAP" --timeout 90s ||
    die "the broker did not come up: see $BROKER_DIR/broker.out"
}

# stop_broker: SIGTERM (a controlled shutdown), bounded; SIGKILL if it hangs.
stop_broker() {
  [[ -n "$BROKER_PID" ]] || return 0
  kill -CONT "$BROKER_PID" 2>/dev/null || true # a stopped broker cannot shut down
  kill "$BROKER_PID" 2>/dev/null || true
  local deadline=$(($(date +%s) + 60))
  while kill -0 "$BROKER_PID" 2>/dev/null; do
    if (($(date +%s) >= deadline)); then
      warn "the broker (pid $BROKER_PID) did not stop in 60s: SIGKILL"
      kill -9 "$BROKER_PID" 2>/dev/null || true
    fi
    sleep 0.2
  done
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

# kill_broker: kill -9, as a crash; its data stays for start_broker.
kill_broker() {
  [[ -n "$BROKER_PID" ]] || return 0
  kill -9 "$BROKER_PID" 2>/dev/null || true
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

# with_parallelism P ARGS...: the job's options with --parallelism set to P.
with_parallelism() {
  local p="$1" i
  shift
  local args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ "${args[i]}" == --parallelism ]]; then
      printf '%s\n' --parallelism "$p"
      i=$((i + 1))
    else
      printf '%s\n' "${args[i]}"
    fi
  done
}
