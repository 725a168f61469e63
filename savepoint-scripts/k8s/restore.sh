#!/usr/bin/env bash
# Restores the Settle job from a given savepoint (or retained checkpoint): sets the deployment's
# initialSavepointPath and changes its savepointRedeployNonce, so the operator cancels the running
# job WITHOUT a savepoint and starts it from that path. State newer than the path is dropped, and
# output produced since is produced again (consumers read results keyed by settlementId).
#
#   savepoint-scripts/k8s/restore.sh --savepoint PATH [--image IMAGE] [--nonce N] [common options]
#
#   --savepoint PATH   the savepoint, e.g. s3://settle-prod/savepoints/savepoint-4f1c2a-5e0c0e3b1a2b
#                      (savepoint.sh prints it; `kubectl get flinkstatesnapshot` lists them)
#   --image IMAGE      also run this image (a rollback: the previous release from the savepoint
#                      taken before the upgrade)
#   --nonce N          the new savepointRedeployNonce (default: the current one plus one)
#   common options     -n NS, -d NAME, --timeout S, --dry-run, --help (see lib.sh)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_common "$@"
SAVEPOINT=""
IMAGE=""
NONCE=""
set -- "${REST[@]+"${REST[@]}"}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --savepoint) [[ $# -ge 2 ]] || usage_error "--savepoint needs a value"; SAVEPOINT="$2"; shift ;;
    --image) [[ $# -ge 2 && "$2" =~ ^[^[:space:]]+$ ]] || usage_error "--image needs a value"; IMAGE="$2"; shift ;;
    --nonce) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage_error "--nonce needs a number"; NONCE="$2"; shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done
[[ -n "$SAVEPOINT" ]] || usage_error "--savepoint is required"
[[ "$SAVEPOINT" =~ ^[a-z][a-z0-9+.-]*://[^[:space:]]+$ ]] \
  || usage_error "--savepoint must be a URI on durable storage (s3://...), got '$SAVEPOINT'"
need_kubectl

if [[ -z "$NONCE" ]]; then
  if dry_run; then
    NONCE=$(date -u +%s)
  else
    CURRENT=$(deployment_field '{.spec.job.savepointRedeployNonce}')
    NONCE=$((${CURRENT:-0} + 1))
  fi
fi

PATCH="$(manifest_head FlinkDeployment "$DEPLOYMENT")
spec:${IMAGE:+
  image: $IMAGE}
  job:
    initialSavepointPath: $SAVEPOINT
    savepointRedeployNonce: $NONCE"

if ! dry_run; then
  kube get flinkdeployment "$DEPLOYMENT" >/dev/null || die "no flinkdeployment/$DEPLOYMENT in namespace $NAMESPACE"
  log "restoring flinkdeployment/$DEPLOYMENT from $SAVEPOINT (nonce $NONCE); the running job stops without a savepoint"
fi
patch_deployment "$PATCH"
dry_run && exit 0

restored() {
  [[ "$(deployment_field '{.status.reconciliationStatus.lastReconciledSpec}')" == *"\"savepointRedeployNonce\":$NONCE"* ]] \
    && deployment_stable_and_running
}
wait_for "flinkdeployment/$DEPLOYMENT to run from $SAVEPOINT" restored
log "flinkdeployment/$DEPLOYMENT runs, restored from $SAVEPOINT"
echo "$SAVEPOINT"
