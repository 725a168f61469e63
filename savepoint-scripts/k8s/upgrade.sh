#!/usr/bin/env bash
# Upgrades the running Settle job to a new image: the operator stops the job with a savepoint,
# starts the new image from it, and (with last-state fallback off) refuses to upgrade at all when
# no savepoint can be taken. Waits for the new job to run and prints the upgrade savepoint's path.
#
#   savepoint-scripts/k8s/upgrade.sh --image IMAGE [common options]
#
#   --image IMAGE    the new image, e.g. registry.example.com/settle/settle:0.2.0
#   common options   -n NS, -d NAME, --timeout S, --dry-run, --help (see lib.sh)
#
# Change the overlay's image too (k8s/overlays/<env>/flinkdeployment.yaml), or the next
# `kubectl apply -k` puts the old one back. Roll back the same way, with the previous image.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_common "$@"
IMAGE=""
set -- "${REST[@]+"${REST[@]}"}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --image) [[ $# -ge 2 ]] || usage_error "--image needs a value"; IMAGE="$2"; shift ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done
[[ -n "$IMAGE" ]] || usage_error "--image is required"
[[ "$IMAGE" =~ ^[^[:space:]]+$ ]] || usage_error "bad image '$IMAGE'"
need_kubectl
require_savepoint_upgrades

PATCH="$(manifest_head FlinkDeployment "$DEPLOYMENT")
spec:
  image: $IMAGE"

if ! dry_run; then
  deployment_stable_and_running \
    || die "flinkdeployment/$DEPLOYMENT is not STABLE with a RUNNING job: no savepoint could be taken; see kubectl -n $NAMESPACE describe flinkdeployment $DEPLOYMENT"
  [[ "$(deployment_field '{.spec.image}')" != "$IMAGE" ]] || die "flinkdeployment/$DEPLOYMENT already runs $IMAGE"
fi
patch_deployment "$PATCH"
dry_run && exit 0

upgraded() {
  [[ "$(deployment_field '{.status.reconciliationStatus.lastReconciledSpec}')" == *"\"$IMAGE\""* ]] \
    && deployment_stable_and_running
}
wait_for "flinkdeployment/$DEPLOYMENT to run $IMAGE" upgraded
log "flinkdeployment/$DEPLOYMENT runs $IMAGE, restored from its upgrade savepoint"
deployment_field '{.status.jobStatus.upgradeSavepointPath}'
echo
