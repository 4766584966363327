#!/usr/bin/env bash
# Promote the paused Rollout `web`: what `kubectl argo rollouts promote web` does for a paused
# rollout — clear status.pauseConditions through the status subresource; the controller reads
# that as "go on" (argo-rollouts pkg/kubectl-argo-rollouts/cmd/promote/promote.go). Plain kubectl,
# so it works without the plugin.
#
# Usage:   solutions/l4-rollouts-bluegreen/promote.sh
# Env:     LAB_CONTEXT (default kind-cicd-lab), NAMESPACE (default l4-rollouts-bluegreen),
#          TIMEOUT (default 180s)
set -euo pipefail

context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-l4-rollouts-bluegreen}
timeout=${TIMEOUT:-180s}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

if [ -z "$(k get rollout web -o jsonpath='{.status.pauseConditions}')" ]; then
  echo "Rollout web is not paused: nothing to promote." >&2
  exit 1
fi
# region promote
k patch rollout web --subresource=status --type merge --patch-file "$here/promote.yaml"
# endregion promote
echo "Waiting up to $timeout for Rollout web to be Healthy…"
k wait rollout/web --for=condition=Healthy --timeout="$timeout"
echo "web-active now selects: $(k get service web-active -o jsonpath='{.spec.selector}')"
