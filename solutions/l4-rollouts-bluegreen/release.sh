#!/usr/bin/env bash
# Ship a new version of the Rollout `web` and stop where a person decides:
#   1. wait until the Rollout serves the current version (Healthy);
#   2. remove the starter's Deployment `web`, which the Rollout replaces (the Services already
#      select the Rollout's Pods by their pod-template hash, so no request is lost);
#   3. change the image: blue/green brings it up behind the preview Service, canary sends it its
#      first share of traffic; both then pause.
# Used by l4-rollouts-bluegreen and, with NAMESPACE=l4-rollouts-canary, by l4-rollouts-canary.
#
# Usage:   solutions/l4-rollouts-bluegreen/release.sh <tag, e.g. v2>
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE    default l4-rollouts-bluegreen
#          TIMEOUT      how long to wait for each state (default 180s)
set -euo pipefail

tag=${1:-}
if [[ ! "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "usage: $0 <image tag, e.g. v2>" >&2
  exit 2
fi
context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-l4-rollouts-bluegreen}
timeout=${TIMEOUT:-180s}
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

echo "Waiting up to $timeout for Rollout web to be Healthy…"
if ! k wait rollout/web --for=condition=Healthy --timeout="$timeout"; then
  echo "Rollout web is not Healthy: fix it first (kubectl argo rollouts get rollout web -n $namespace)." >&2
  exit 1
fi
k delete deployment web --ignore-not-found

# region image
# The Argo Rollouts kubectl plugin does the same with:
#   kubectl argo rollouts set image web web=kind-registry:5000/hello-app:$tag
k patch rollout web --type json \
  --patch "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"kind-registry:5000/hello-app:$tag\"}]"
# endregion image

echo "Waiting up to $timeout for the Rollout to pause with $tag…"
if ! k wait rollout/web --for=condition=Paused --timeout="$timeout"; then
  echo "The Rollout did not pause: look at its status (kubectl argo rollouts get rollout web -n $namespace)." >&2
  exit 1
fi
echo "Rollout web is paused with $tag: $(k get rollout web -o jsonpath='{.status.message}')"
