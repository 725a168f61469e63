#!/usr/bin/env bash
# Takes a savepoint of the running Settle job through a FlinkStateSnapshot resource, waits for
# the operator to complete it and prints its path.
#
#   savepoint-scripts/k8s/savepoint.sh [--name NAME] [--dispose-on-delete] [common options]
#
#   --name NAME           the FlinkStateSnapshot's name (default: settle-savepoint-<UTC time>)
#   --dispose-on-delete   delete the savepoint's files when the resource is deleted (default: keep)
#   common options        -n NS, -d NAME, --timeout S, --dry-run, --help (see lib.sh)
#
# Example: savepoint-scripts/k8s/savepoint.sh -n settle-prod
#          -> s3://settle-prod/savepoints/savepoint-4f1c2a-5e0c0e3b1a2b
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_common "$@"
NAME="settle-savepoint-$(date -u +%Y%m%d-%H%M%S)"
DISPOSE=false
set -- "${REST[@]+"${REST[@]}"}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) [[ $# -ge 2 ]] || usage_error "--name needs a value"; NAME="$2"; shift ;;
    --dispose-on-delete) DISPOSE=true ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done
[[ "$NAME" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "bad snapshot name '$NAME'"
need_kubectl

MANIFEST="$(manifest_head FlinkStateSnapshot "$NAME")
  labels:
    app.kubernetes.io/name: settle
spec:
  backoffLimit: 1
  jobReference:
    kind: FlinkDeployment
    name: $DEPLOYMENT
  savepoint:
    disposeOnDelete: $DISPOSE
    formatType: CANONICAL"

if dry_run; then
  apply_manifest "$MANIFEST"
  exit 0
fi

kube get flinkdeployment "$DEPLOYMENT" >/dev/null || die "no flinkdeployment/$DEPLOYMENT in namespace $NAMESPACE"
apply_manifest "$MANIFEST"

snapshot_state() { kube get flinkstatesnapshot "$NAME" -o 'jsonpath={.status.state}'; }
snapshot_done() { [[ "$(snapshot_state)" =~ ^(COMPLETED|FAILED|ABANDONED)$ ]]; }
wait_for "flinkstatesnapshot/$NAME to complete" snapshot_done

STATE=$(snapshot_state)
if [[ "$STATE" != "COMPLETED" ]]; then
  die "flinkstatesnapshot/$NAME ended $STATE: $(kube get flinkstatesnapshot "$NAME" -o 'jsonpath={.status.error}')"
fi
SAVEPOINT=$(kube get flinkstatesnapshot "$NAME" -o 'jsonpath={.status.path}')
[[ -n "$SAVEPOINT" ]] || die "flinkstatesnapshot/$NAME completed without a path"
log "savepoint of flinkdeployment/$DEPLOYMENT completed (flinkstatesnapshot/$NAME)"
echo "$SAVEPOINT"
