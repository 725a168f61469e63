# Shared functions of the Kubernetes savepoint scripts (savepoint, upgrade, restore, suspend,
# resume). Sourced by each of them, never run on its own.
#
# Common options, parsed by parse_common:
#   -n, --namespace NS      namespace of the FlinkDeployment (default: $SETTLE_NAMESPACE or settle-prod)
#   -d, --deployment NAME   the FlinkDeployment (default: $SETTLE_DEPLOYMENT or settle)
#       --timeout SECONDS   how long to wait for the operator (default: 600)
#       --dry-run           print what would be applied (YAML, with the kubectl commands as
#                           comments) and change nothing; needs no kubectl and no cluster
#   -h, --help              this script's help
#
# Output: stdout carries the result (a savepoint path) or, with --dry-run, the manifests only;
# progress goes to stderr. Exit codes: 0 done, 1 failed (with the reason), 2 bad usage.

SETTLE_API_VERSION="flink.apache.org/v1beta1"
NAMESPACE="${SETTLE_NAMESPACE:-settle-prod}"
DEPLOYMENT="${SETTLE_DEPLOYMENT:-settle}"
TIMEOUT=600
DRY_RUN=0
REST=()

script_name() { basename "$0"; }

log() { echo "$(script_name): $*" >&2; }

die() {
  echo "$(script_name): $*" >&2
  exit 1
}

# The header comment of the running script (after the shebang, up to the first non-comment line).
usage() {
  sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

usage_error() {
  echo "$(script_name): $*" >&2
  echo "Run $(script_name) --help for the options." >&2
  exit 2
}

# parse_common "$@": takes the common options; everything else is left in REST, in order.
parse_common() {
  REST=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      --dry-run) DRY_RUN=1 ;;
      -n|--namespace) [[ $# -ge 2 ]] || usage_error "$1 needs a value"; NAMESPACE="$2"; shift ;;
      -d|--deployment) [[ $# -ge 2 ]] || usage_error "$1 needs a value"; DEPLOYMENT="$2"; shift ;;
      --timeout)
        [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage_error "--timeout needs a number of seconds"
        TIMEOUT="$2"; shift ;;
      *) REST+=("$1") ;;
    esac
    shift
  done
  [[ "$NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "bad namespace '$NAMESPACE'"
  [[ "$DEPLOYMENT" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "bad deployment name '$DEPLOYMENT'"
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
    printf '%s\n' "$manifest" | kube apply -f - >&2
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
    kube patch flinkdeployment "$DEPLOYMENT" --type merge --patch-file "$file" >&2 \
      || { rm -f "$file"; die "kubectl patch of flinkdeployment/$DEPLOYMENT failed"; }
    rm -f "$file"
  fi
}

# wait_for DESCRIPTION COMMAND...: runs COMMAND every 5 s until it succeeds; fails naming
# DESCRIPTION after TIMEOUT seconds.
wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + TIMEOUT))
  log "waiting up to ${TIMEOUT}s for $what ..."
  until "$@"; do
    if ((SECONDS >= deadline)); then
      die "timed out after ${TIMEOUT}s waiting for $what"
    fi
    sleep 5
  done
}

# The operator has the deployment STABLE with its job RUNNING.
deployment_stable_and_running() {
  [[ "$(deployment_field '{.status.lifecycleState}')" == "STABLE" \
    && "$(deployment_field '{.status.jobStatus.state}')" == "RUNNING" ]]
}

# The deployment exists and can be upgraded through a savepoint without a silent fallback.
require_savepoint_upgrades() {
  dry_run && return 0
  kube get flinkdeployment "$DEPLOYMENT" >/dev/null || die "no flinkdeployment/$DEPLOYMENT in namespace $NAMESPACE"
  local mode fallback
  mode=$(deployment_field '{.spec.job.upgradeMode}')
  [[ "$mode" == "savepoint" ]] || die "flinkdeployment/$DEPLOYMENT has upgradeMode '$mode', not savepoint"
  fallback=$(deployment_field '{.spec.flinkConfiguration.kubernetes\.operator\.job\.upgrade\.last-state-fallback\.enabled}')
  [[ "$fallback" == "false" ]] \
    || die "flinkdeployment/$DEPLOYMENT may fall back to the last checkpoint (kubernetes.operator.job.upgrade.last-state-fallback.enabled is '$fallback', not false)"
}
