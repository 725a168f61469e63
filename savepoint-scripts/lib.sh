# shellcheck shell=bash
# The one shell library of Settle's scripts (sourced, never run): messages, --help, option
# checks and bounded waits. Sourced by the savepoint scripts of both targets, through
# cluster/lib.sh (the standalone cluster: cluster/*, savepoint-scripts/standalone/*, drill/run)
# and savepoint-scripts/k8s/lib.sh (the Flink Kubernetes Operator: savepoint-scripts/k8s/*).
#
# The savepoint scripts have the same verbs on both targets:
#
#   verb      standalone/ (flink CLI, REST API)        k8s/ (the operator, kubectl)
#   trigger   a savepoint of a running job             a manual savepoint FlinkStateSnapshot
#   stop      stop with a savepoint, never drained     suspend: the operator stops with a savepoint
#   restore   flink run -s SAVEPOINT                   initialSavepointPath + savepointRedeployNonce
#   upgrade   stop, then restore NEW_JAR from it       patch the image (a savepoint upgrade)
#   list      savepoints and retained checkpoints      the deployment's savepoint FlinkStateSnapshots
#   dispose   flink savepoint -d SAVEPOINT             delete a FlinkStateSnapshot (files: see there)
#
# Conventions of every script, on both targets:
#   - What a verb needs is an argument (JOB_ID, SAVEPOINT, NEW_JAR, IMAGE, SNAPSHOT); options
#     (--dir, --format, --timeout, --allowNonRestoredState, ...) are optional and have the same
#     names wherever they apply.
#   - stdout carries the result only: a savepoint path (trigger, stop), a job id (restore), the
#     savepoint path then the new job id (upgrade), a table (list), the disposed path (dispose); so
#     path="$(savepoint-scripts/k8s/trigger)" works. Progress, warnings and errors go to stderr.
#   - Exit 0 done, 1 failed (with the reason), 2 bad usage (naming the argument or option).
#   - --help prints the script's header comment; every wait is bounded and fails loudly.
#
# Callers may set PROG (their name in messages) before sourcing; the default is the script's path
# from the repository root.

SETTLE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PROG:-}" ]]; then
  PROG="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
  PROG="${PROG#"$SETTLE_ROOT"/}"
fi

# --- Messages (all on stderr: stdout is for results) ---------------------------------------

say() { echo "$PROG: $*" >&2; }
warn() { echo "$PROG: warning: $*" >&2; }
die() {
  echo "$PROG: error: $*" >&2
  exit 1
}
usage_error() {
  echo "$PROG: $*" >&2
  echo "Run '$PROG --help' for the usage." >&2
  exit 2
}

# Prints the calling script's header comment (its usage) without the '#'.
print_help() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# --- Options ------------------------------------------------------------------------------

# need_value OPTION "$#": fails naming OPTION when it has no value.
need_value() {
  [[ "$2" -ge 2 ]] || usage_error "option '$1' needs a value"
}

unknown_option() {
  usage_error "unknown option '$1'"
}

# require_seconds OPTION VALUE: a positive number of seconds.
require_seconds() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "option '$1' must be a number of seconds, got '$2'"
}

# require_positive OPTION VALUE: a positive whole number.
require_positive() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "option '$1' must be a positive number, got '$2'"
}

# require_format OPTION VALUE: a savepoint format, canonical or native.
require_format() {
  [[ "$2" == canonical || "$2" == native ]] || usage_error "option '$1' must be canonical or native, got '$2'"
}

# --- Time and bounded waits ---------------------------------------------------------------

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# How often wait_until tries again, in seconds (the Kubernetes scripts poll the API less often).
POLL_SECONDS="${POLL_SECONDS:-0.5}"

# wait_until SECONDS DESCRIPTION COMMAND [ARGS...]: runs COMMAND every POLL_SECONDS until it
# succeeds; fails loudly, naming DESCRIPTION, after SECONDS.
wait_until() {
  local timeout="$1" what="$2"
  shift 2
  local deadline=$(($(date +%s) + timeout))
  until "$@"; do
    if (($(date +%s) >= deadline)); then
      die "timed out after ${timeout}s waiting for $what"
    fi
    sleep "$POLL_SECONDS"
  done
}
