# shellcheck shell=bash
# Functions of the Kubernetes savepoint scripts (savepoint-scripts/k8s/*: trigger, stop, restore,
# upgrade, list, dispose), which act through the Flink Kubernetes Operator 1.15 on one
# FlinkDeployment. Sourced, never run. Messages, option checks and bounded waits come from
# savepoint-scripts/lib.sh, which also describes the verbs and what every script prints.
#
# There is no suspend or resume: stop suspends the deployment with a savepoint and prints its
# path, and restore starts the job from a path (the one stop printed, or any other), as on the
# standalone cluster. One way to start a stopped job, with the path in plain sight, on both targets.

# shellcheck source=savepoint-scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SETTLE_API_VERSION="flink.apache.org/v1beta1"
NAMESPACE="${SETTLE_NAMESPACE:-settle-prod}"
DEPLOYMENT="${SETTLE_DEPLOYMENT:-settle}"
TIMEOUT=600
DRY_RUN=0
POLL_SECONDS=5
REST=()

# The common options, printed after each verb's own help.
print_common_help() {
  cat <<'EOF'

Common options of every savepoint-scripts/k8s/ verb:
  -n, --namespace NS      namespace of the FlinkDeployment (default: $SETTLE_NAMESPACE or settle-prod)
  -d, --deployment NAME   the FlinkDeployment (default: $SETTLE_DEPLOYMENT or settle)
      --timeout SECONDS   how long to wait for the operator (default: 600)
      --dry-run           print what would be applied (YAML, with the kubectl command as a
                          comment) and change nothing; needs no kubectl and no cluster
  -h, --help              this help

Output: stdout carries the result (see above) or, with --dry-run, the manifests only; progress
goes to stderr. Exit codes: 0 done, 1 failed (with the reason), 2 bad usage.
EOF
}

# parse_common "$@": takes the common options; everything else is left in REST, in order.
parse_common() {
  REST=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h | --help) print_help; print_common_help; exit 0 ;;
      --dry-run) DRY_RUN=1 ;;
      -n | --namespace) need_value "$1" "$#"; NAMESPACE="$2"; shift ;;
      -d | --deployment) need_value "$1" "$#"; DEPLOYMENT="$2"; shift ;;
      --timeout) need_value "$1" "$#"; require_seconds "$1" "$2"; TIMEOUT="$2"; shift ;;
      *) REST+=("$1") ;;
    esac
    shift
  done
  require_k8s_name "namespace" "$NAMESPACE"
  require_k8s_name "deployment name" "$DEPLOYMENT"
}

# require_k8s_name WHAT NAME: a Kubernetes object name (DNS-1123 label).
require_k8s_name() {
  [[ "$2" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ && ${#2} -le 63 ]] || usage_error "bad $1 '$2'"
}

# no_arguments "${REST[@]}": the verb takes only the common options.
no_arguments() {
  [[ $# -eq 0 ]] || case "$1" in
    -*) unknown_option "$1" ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
}

dry_run() { [[ "$DRY_RUN" == 1 ]]; }

need_kubectl() {
  dry_run && return 0
  command -v kubectl >/dev/null 2>&1 || die "kubectl is not on the PATH (use --dry-run to see what would be applied)"
}

# kube ARGS...: kubectl in the deployment's namespace.
kube() { kubectl -n "$NAMESPACE" "$@"; }

# deployment_field JSONPATH: one field of the live FlinkDeployment, empty when unset.
deployment_field() { kube get flinkdeployment "$DEPLOYMENT" -o "jsonpath=$1"; }

# snapshot_field NAME JSONPATH: one field of a FlinkStateSnapshot, empty when unset.
snapshot_field() { kube get flinkstatesnapshot "$1" -o "jsonpath=$2"; }

require_deployment() {
  dry_run && return 0
  kube get flinkdeployment "$DEPLOYMENT" >/dev/null || die "no flinkdeployment/$DEPLOYMENT in namespace $NAMESPACE"
}

# The metadata block every manifest and patch starts with.
manifest_head() {
  local kind=$1 name=$2
  printf 'apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\n' \
    "$SETTLE_API_VERSION" "$kind" "$name" "$NAMESPACE"
}

# apply_manifest YAML: kubectl apply; with --dry-run, prints it.
apply_manifest() {
  local manifest=$1
  if dry_run; then
    printf '# kubectl -n %s apply -f - <<this document>>\n---\n%s\n' "$NAMESPACE" "$manifest"
  else
    printf '%s\n' "$manifest" | kube apply -f - >&2 || die "kubectl apply failed"
  fi
}

# patch_deployment YAML: a JSON merge patch of the FlinkDeployment, written as a partial
# FlinkDeployment (its apiVersion, kind and name are unchanged by the patch); with --dry-run, prints it.
patch_deployment() {
  local patch=$1
  if dry_run; then
    printf '# kubectl -n %s patch flinkdeployment %s --type merge --patch-file <<this document>>\n---\n%s\n' \
      "$NAMESPACE" "$DEPLOYMENT" "$patch"
  else
    local file
    file=$(mktemp)
    printf '%s\n' "$patch" >"$file"
    kube patch flinkdeployment "$DEPLOYMENT" --type merge --patch-file "$file" >&2 ||
      { rm -f "$file"; die "kubectl patch of flinkdeployment/$DEPLOYMENT failed"; }
    rm -f "$file"
  fi
}

# wait_operator DESCRIPTION COMMAND...: wait_until, bounded by --timeout, said aloud.
wait_operator() {
  local what=$1
  shift
  say "waiting up to ${TIMEOUT}s for $what ..."
  wait_until "$TIMEOUT" "$what (kubectl -n $NAMESPACE describe flinkdeployment $DEPLOYMENT says why)" "$@"
}

# The operator has the deployment STABLE with its job RUNNING.
deployment_stable_and_running() {
  [[ "$(deployment_field '{.status.lifecycleState}')" == "STABLE" &&
    "$(deployment_field '{.status.jobStatus.state}')" == "RUNNING" ]]
}

# The id of the deployment's running job.
deployment_job_id() {
  local id
  id=$(deployment_field '{.status.jobStatus.jobId}')
  [[ -n "$id" ]] || die "flinkdeployment/$DEPLOYMENT runs but reports no job id"
  echo "$id"
}

# The deployment exists and can be upgraded through a savepoint without a silent fallback.
require_savepoint_upgrades() {
  dry_run && return 0
  require_deployment
  local mode fallback
  mode=$(deployment_field '{.spec.job.upgradeMode}')
  [[ "$mode" == "savepoint" ]] || die "flinkdeployment/$DEPLOYMENT has upgradeMode '$mode', not savepoint"
  fallback=$(deployment_field '{.spec.flinkConfiguration.kubernetes\.operator\.job\.upgrade\.last-state-fallback\.enabled}')
  [[ "$fallback" == "false" ]] ||
    die "flinkdeployment/$DEPLOYMENT may fall back to the last checkpoint (kubernetes.operator.job.upgrade.last-state-fallback.enabled is '$fallback', not false)"
}

# upgrade_savepoint_after BEFORE: the savepoint the operator took on the last stop or upgrade
# (status.jobStatus.upgradeSavepointPath); warns when it is still BEFORE, the one known before.
upgrade_savepoint_after() {
  local before=$1 path
  path=$(deployment_field '{.status.jobStatus.upgradeSavepointPath}')
  [[ -n "$path" ]] || die "flinkdeployment/$DEPLOYMENT reports no upgrade savepoint path"
  if [[ "$path" == "$before" ]]; then
    warn "the operator took no new savepoint (the job was not running): $path is the last one it knows, and what was processed after it is processed again"
  fi
  echo "$path"
}
