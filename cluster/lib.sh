# shellcheck shell=bash
# Shell functions of the standalone cluster (sourced, never run): its processes, ports,
# configuration, REST API and what its CLI prints. Used by cluster/*, savepoint-scripts/standalone/*
# and drill/run. Messages, --help, option checks and bounded waits come from the one library of
# every script, savepoint-scripts/lib.sh, sourced first.
#
# The cluster is Flink 2.2 composed from Maven jars (flink-dist-lib/, copied into
# flink-dist-lib/target/lib on first use) and started as plain `java` processes on the
# configuration in flink-conf/, of which cluster/start writes a copy with this machine's ports and
# directories into the work dir:
#
#   $SETTLE_CLUSTER_DIR (default target/cluster)
#     conf/   config.yaml and log4j files the JobManager, TaskManagers and CLI read
#     log/    jobmanager.log, taskmanager-N.log, their .out, flink-cli.log
#     pid/    jobmanager.pid, taskmanager-N.pid
#     checkpoints/ savepoints/ tmp/
#
# Callers may set PROG (their name, for messages) before sourcing.

# shellcheck source=savepoint-scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../savepoint-scripts/lib.sh"

DIST_LIB="$SETTLE_ROOT/flink-dist-lib/target/lib"
CLUSTER_DIR="${SETTLE_CLUSTER_DIR:-$SETTLE_ROOT/target/cluster}"
CONF_DIR="$CLUSTER_DIR/conf"
LOG_DIR="$CLUSTER_DIR/log"
PID_DIR="$CLUSTER_DIR/pid"

# --- Processes --------------------------------------------------------------------------------

# pid_alive FILE: the process whose pid FILE holds is running.
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pid FILE NAME SECONDS: SIGTERM, a bounded wait, then SIGKILL (said aloud); removes FILE.
stop_pid() {
  local file="$1" name="$2" timeout="$3"
  if ! pid_alive "$file"; then
    rm -f "$file"
    return 0
  fi
  local pid
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  local deadline=$(($(date +%s) + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if (($(date +%s) >= deadline)); then
      warn "$name (pid $pid) still running ${timeout}s after SIGTERM: sending SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$file"
  say "stopped $name (pid $pid)"
}

# --- Ports ------------------------------------------------------------------------------------

# port_in_use PORT: something listens on localhost:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port SPEC [COUNT]: SPEC is a port (taken as given; fails if in use) or PORT+ (that port or
# the first free one above it). With COUNT, COUNT consecutive free ports; prints the first.
pick_port() {
  local spec="$1" count="${2:-1}" port
  if [[ "$spec" =~ ^([0-9]+)\+$ ]]; then
    port="${BASH_REMATCH[1]}"
    local limit=$((port + 200))
    while ((port < limit)); do
      local ok=1 i
      for ((i = 0; i < count; i++)); do
        if port_in_use $((port + i)); then
          ok=0
          break
        fi
      done
      if ((ok)); then
        echo "$port"
        return 0
      fi
      port=$((port + 1))
    done
    die "no $count free port(s) from ${BASH_REMATCH[1]} to $limit"
  elif [[ "$spec" =~ ^[0-9]+$ ]]; then
    local i
    for ((i = 0; i < count; i++)); do
      port_in_use $((spec + i)) && die "port $((spec + i)) is in use (give another, or $spec+ for the first free one)"
    done
    echo "$spec"
  else
    die "'$spec' is not a port (like 18081) or a port to search up from (like 18081+)"
  fi
}

# --- Configuration ----------------------------------------------------------------------------

# conf_get KEY [FILE]: the value of a flat KEY in a config.yaml (quotes removed); empty if absent.
conf_get() {
  local key="$1" file="${2:-$CONF_DIR/config.yaml}"
  local value
  value="$(sed -n "s/^${key//./\\.}:[[:space:]]*//p" "$file" | tail -1)"
  value="${value%\"}"
  value="${value#\"}"
  echo "$value"
}

# The JVM flags every Java process starts with: flink-conf/jvm.args, as a java argument file.
flink_jvm_opts() {
  echo "@$SETTLE_ROOT/flink-conf/jvm.args"
}

require_cluster_conf() {
  [[ -f "$CONF_DIR/config.yaml" ]] ||
    die "no cluster configuration in $CLUSTER_DIR/conf: start a cluster with cluster/start (or set SETTLE_CLUSTER_DIR)"
}

rest_url() {
  echo "http://$(conf_get rest.address):$(conf_get rest.port)"
}

# --- The Flink jars ---------------------------------------------------------------------------

# Copies the cluster's jars into flink-dist-lib/target/lib when missing or older than the poms.
ensure_dist_lib() {
  local stamp="$DIST_LIB/.complete"
  if [[ -f "$stamp" && ! "$SETTLE_ROOT/pom.xml" -nt "$stamp" && ! "$SETTLE_ROOT/flink-dist-lib/pom.xml" -nt "$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the Flink jars"
  say "fetching the Flink cluster jars into $DIST_LIB (first use) ..."
  rm -rf "$DIST_LIB"
  mkdir -p "$SETTLE_ROOT/flink-dist-lib/target"
  local log="$SETTLE_ROOT/flink-dist-lib/target/copy-dependencies.log"
  (cd "$SETTLE_ROOT" && mvn -B -Dstyle.color=never -f flink-dist-lib/pom.xml \
    dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime) >"$log" 2>&1 ||
    die "could not fetch the Flink jars (mvn -f flink-dist-lib/pom.xml dependency:copy-dependencies): see $log"
  touch "$stamp"
}

# flink_java ARGS...: java with Flink's JVM flags, the cluster's tmp dir and lib/ on the classpath.
flink_java() {
  # shellcheck disable=SC2046 # the flags are one word each
  java $(flink_jvm_opts) -Djava.io.tmpdir="$CLUSTER_DIR/tmp" -cp "$DIST_LIB/*" "$@"
}

# flink_cli ARGS...: the real flink CLI (CliFrontend) on the cluster's configuration.
flink_cli() {
  require_cluster_conf
  mkdir -p "$LOG_DIR"
  FLINK_CONF_DIR="$CONF_DIR" flink_java \
    -Dlog.file="$LOG_DIR/flink-cli.log" \
    -Dlog4j.configurationFile="file:$CONF_DIR/log4j-cli.properties" \
    org.apache.flink.client.cli.CliFrontend "$@"
}

# resource_params JM|TM: the two lines BashJavaUtils prints after BASH_JAVA_UTILS_EXEC_RESULT:,
# JVM memory flags then -D options, as the distribution's scripts compute them.
resource_params() {
  local out
  out="$(flink_java org.apache.flink.runtime.util.bash.BashJavaUtils "GET_$1_RESOURCE_PARAMS" \
    --configDir "$CONF_DIR" 2>&1)" || die "BashJavaUtils GET_$1_RESOURCE_PARAMS failed: $out"
  out="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [[ "$(wc -l <<<"$out")" -eq 2 ]] || die "BashJavaUtils GET_$1_RESOURCE_PARAMS printed no JVM and dynamic lines: $out"
  echo "$out"
}

# start_process NAME MAIN_CLASS: a JobManager or TaskManager in the background, its pid in
# pid/NAME.pid, its log in log/NAME.log (stdout and stderr in log/NAME.out).
start_process() {
  local name="$1" main="$2" kind="$3"
  local params jvm dynamic
  params="$(resource_params "$kind")"
  jvm="$(sed -n 1p <<<"$params")"
  dynamic="$(sed -n 2p <<<"$params")"
  mkdir -p "$LOG_DIR" "$PID_DIR" "$CLUSTER_DIR/tmp"
  # An earlier process's logs move aside, so what is read from log/NAME.* is this one's.
  local f
  for f in "$LOG_DIR/$name.log" "$LOG_DIR/$name.out"; do
    [[ -f "$f" ]] && mv "$f" "$f.prev"
  done
  # shellcheck disable=SC2086,SC2046 # flags and -D options are one word each
  nohup java $jvm $(flink_jvm_opts) -Djava.io.tmpdir="$CLUSTER_DIR/tmp" \
    -Dlog.file="$LOG_DIR/$name.log" \
    -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
    -cp "$DIST_LIB/*" "$main" --configDir "$CONF_DIR" $dynamic \
    >"$LOG_DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

start_jobmanager() {
  start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint JM
}

# start_taskmanager: one more TaskManager, taskmanager-N with an N no pid file has (a killed
# TaskManager's pid file stays until cluster/stop); prints N.
start_taskmanager() {
  local n=1
  while [[ -f "$PID_DIR/taskmanager-$n.pid" ]]; do
    n=$((n + 1))
  done
  start_process "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner TM
  echo "$n"
}

# --- The REST API -----------------------------------------------------------------------------

# rest_get PATH: the JSON the REST API answers, or nothing (and a non-zero status).
rest_get() {
  curl -fsS --max-time 5 "$(rest_url)$1" 2>/dev/null
}

# json_number FIELD JSON: the first numeric value of "FIELD" in JSON.
json_number() {
  grep -oE "\"$1\":-?[0-9]+" <<<"$2" | head -1 | cut -d: -f2
}

# json_string FIELD JSON: the first string value of "FIELD" in JSON.
json_string() {
  grep -oE "\"$1\":\"[^\"]*\"" <<<"$2" | head -1 | cut -d'"' -f4
}

# registered_taskmanagers: how many TaskManagers the JobManager knows (empty if it does not answer).
registered_taskmanagers() {
  local overview
  overview="$(rest_get /overview)" || return 1
  json_number taskmanagers "$overview"
}

# job_state JOB_ID: CREATED, RUNNING, FINISHED, ... (empty when the REST API does not answer).
job_state() {
  local details
  details="$(rest_get "/jobs/$1")" || return 0
  json_string state "$details"
}

# job_running JOB_ID: the job is RUNNING and every subtask of every vertex is RUNNING.
job_running() {
  local details
  details="$(rest_get "/jobs/$1")" || return 1
  [[ "$(json_string state "$details")" == RUNNING ]] || return 1
  local tasks
  tasks="$(grep -oE '"tasks":\{[^}]*\}' <<<"$details")" || return 1
  [[ -n "$tasks" ]] || return 1
  # Every count other than RUNNING is zero.
  ! sed -E 's/"RUNNING":[0-9]+//g' <<<"$tasks" | grep -qE '":[1-9]'
}

# completed_checkpoints JOB_ID: the number of checkpoints the job completed (0 if unknown).
completed_checkpoints() {
  local stats n
  stats="$(rest_get "/jobs/$1/checkpoints")" || {
    echo 0
    return 0
  }
  n="$(json_number completed "$stats")"
  echo "${n:-0}"
}

# job_restarted_since JOB_ID MILLIS: the job last entered RESTARTING after MILLIS (epoch ms).
job_restarted_since() {
  local details ts
  details="$(rest_get "/jobs/$1")" || return 1
  ts="$(json_number RESTARTING "$details")"
  [[ -n "$ts" ]] && ((ts > $2))
}

# job_name JOB_ID: the job's name.
job_name() {
  local details
  details="$(rest_get "/jobs/$1")" || return 0
  json_string name "$details"
}

# job_failed JOB_ID: the job is FAILED (its restart strategy gave up).
job_failed() {
  local state
  state="$(job_state "$1")"
  [[ "$state" == FAILED ]]
}

# wait_job_running JOB_ID SECONDS: every task running, failing loudly if the job fails.
wait_job_running() {
  local job="$1" timeout="$2"
  wait_until "$timeout" "every task of job $job to run (state now: $(job_state "$job"))" \
    _running_or_die "$job"
}

_running_or_die() {
  job_failed "$1" && die "job $1 FAILED: see $(rest_url)/#/job/$1/exceptions and $LOG_DIR"
  job_running "$1"
}

# wait_checkpoint_after JOB_ID COUNT SECONDS: the job completes a checkpoint beyond COUNT.
wait_checkpoint_after() {
  local job="$1" count="$2" timeout="$3"
  wait_until "$timeout" "job $job to complete a checkpoint after its ${count}th" \
    _checkpoint_beyond "$job" "$count"
}

_checkpoint_beyond() {
  job_failed "$1" && die "job $1 FAILED: see $(rest_url)/#/job/$1/exceptions and $LOG_DIR"
  (($(completed_checkpoints "$1") > $2))
}

# --- What the CLI prints ----------------------------------------------------------------------

# parse_job_id OUTPUT: the JobID in "Job has been submitted with JobID <id>"; fails if absent.
parse_job_id() {
  local id
  id="$(grep -oE 'submitted with JobID [0-9a-f]{32}' <<<"$1" | tail -1 | awk '{print $4}')"
  [[ -n "$id" ]] || die "the CLI printed no job id:
$1"
  echo "$id"
}

# parse_savepoint_path OUTPUT: the path in "Savepoint completed. Path: <path>"; fails if absent.
parse_savepoint_path() {
  local path
  path="$(sed -n 's/.*Savepoint completed\. Path: //p' <<<"$1" | tail -1)"
  [[ -n "$path" ]] || die "the CLI printed no savepoint path:
$1"
  echo "$path"
}

# require_job_id ID: a 32-digit hexadecimal Flink job id.
require_job_id() {
  [[ "$1" =~ ^[0-9a-f]{32}$ ]] || usage_error "'$1' is not a job id (32 hexadecimal digits; cluster/flink list shows them)"
}

# require_metadata SAVEPOINT: a savepoint the CLI reported on a local (file:) path has its
# _metadata file; other filesystems are taken at the CLI's word.
require_metadata() {
  [[ "$1" != file:* || -f "$(local_path "$1")/_metadata" ]] || die "the CLI reported $1, but it has no _metadata"
}

# local_path PATH: a file: URI or plain path as a local path.
local_path() {
  local p="$1"
  p="${p#file://}"
  p="${p#file:}"
  echo "$p"
}
