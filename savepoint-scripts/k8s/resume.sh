#!/usr/bin/env bash
# Resumes a suspended Settle job: the operator starts it from the savepoint it took on suspend.
# Waits until the job runs.
#
#   savepoint-scripts/k8s/resume.sh [common options]
#
#   common options   -n NS, -d NAME, --timeout S, --dry-run, --help (see lib.sh)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_common "$@"
[[ ${#REST[@]} -eq 0 ]] || usage_error "unknown option '${REST[0]}'"
need_kubectl

PATCH="$(manifest_head FlinkDeployment "$DEPLOYMENT")
spec:
  job:
    state: running"

if ! dry_run; then
  [[ "$(deployment_field '{.spec.job.state}')" == "suspended" ]] || die "flinkdeployment/$DEPLOYMENT is not suspended"
  FROM=$(deployment_field '{.status.jobStatus.upgradeSavepointPath}')
  log "resuming flinkdeployment/$DEPLOYMENT from ${FROM:-its last savepoint}"
fi
patch_deployment "$PATCH"
dry_run && exit 0

wait_for "flinkdeployment/$DEPLOYMENT to run" deployment_stable_and_running
log "flinkdeployment/$DEPLOYMENT runs"
