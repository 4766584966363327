#!/usr/bin/env bash
# Bring both Argo CD Applications up to date with Git, and wait until they are Synced and Healthy.
#   hello-dev   syncs by itself; a refresh makes Argo CD look at Git now instead of at its next poll.
#   hello-prod  has no automated sync: request one, as `argocd app sync hello-prod` or the UI's
#               SYNC button does, by writing an operation into the Application (Argo CD docs,
#               user-guide/sync-kubectl.md).
#
# Usage:   solutions/l4-argocd/sync.sh
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          TIMEOUT      seconds to wait for each Application (default 180)
set -euo pipefail

context=${LAB_CONTEXT:-kind-cicd-lab}
timeout=${TIMEOUT:-180}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k() { kubectl --context "$context" --namespace argocd "$@"; }

# Waits until an Application's field has the wanted value, or says what it was at the deadline.
wait_for() {
  local app=$1 path=$2 want=$3 got=""
  for ((waited = 0; waited <= timeout; waited += 2)); do
    got=$(k get application "$app" -o "jsonpath={$path}")
    [ "$got" = "$want" ] && return 0
    sleep 2
  done
  echo "$app: $path is \"$got\" after ${timeout}s, expected \"$want\"" >&2
  echo "See: kubectl --context $context -n argocd describe application $app" >&2
  exit 1
}

# region refresh
k patch application hello-dev --type merge \
  --patch '{"metadata":{"annotations":{"argocd.argoproj.io/refresh":"normal"}}}'
# endregion refresh

# region sync
k patch application hello-prod --type merge --patch-file "$here/sync-prod.yaml"
# endregion sync

for app in hello-dev hello-prod; do
  wait_for "$app" .status.operationState.phase Succeeded
  wait_for "$app" .status.sync.status Synced
  wait_for "$app" .status.health.status Healthy
done
echo "hello-dev and hello-prod are Synced and Healthy"
