#!/usr/bin/env bash
# Suspends the Settle job: the operator stops it with a savepoint (upgradeMode: savepoint) and
# removes its pods, keeping the FlinkDeployment. Prints the savepoint's path; resume.sh starts the
# job again from it.
#
#   savepoint-scripts/k8s/suspend.sh [common options]
#
#   common options   -n NS, -d NAME, --timeout S, --dry-run, --help (see lib.sh)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_common "$@"
[[ ${#REST[@]} -eq 0 ]] || usage_error "unknown option '${REST[0]}'"
need_kubectl
require_savepoint_upgrades

PATCH="$(manifest_head FlinkDeployment "$DEPLOYMENT")
spec:
  job:
    state: suspended"

if ! dry_run; then
  [[ "$(deployment_field '{.spec.job.state}')" != "suspended" ]] || die "flinkdeployment/$DEPLOYMENT is already suspended"
fi
patch_deployment "$PATCH"
dry_run && exit 0

suspended() { [[ "$(deployment_field '{.status.lifecycleState}')" == "SUSPENDED" ]]; }
wait_for "flinkdeployment/$DEPLOYMENT to be suspended" suspended
SAVEPOINT=$(deployment_field '{.status.jobStatus.upgradeSavepointPath}')
[[ -n "$SAVEPOINT" ]] || die "flinkdeployment/$DEPLOYMENT is suspended but reports no savepoint path"
log "flinkdeployment/$DEPLOYMENT suspended with a savepoint"
echo "$SAVEPOINT"
