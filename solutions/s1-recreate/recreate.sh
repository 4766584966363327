#!/usr/bin/env bash
# Update Deployment web to v2 with the Recreate strategy: every v1 Pod stops before any v2 Pod
# starts. Simple, and never two versions at once — at the price of an outage until v2 is ready.
#
# Usage:   solutions/s1-recreate/recreate.sh
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE    default s1-recreate
#          TIMEOUT      how long to wait for the rollout (default 180s)
set -euo pipefail

context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-s1-recreate}
timeout=${TIMEOUT:-180s}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

if ! k get deployment web >/dev/null; then
  echo "There is no Deployment web in $namespace. Lay out the lab first: npm run lab -- start s1-recreate" >&2
  exit 1
fi

# region strategy
# 1. The strategy. The Deployment was created without one, so the API server filled in the
#    default, RollingUpdate with its rollingUpdate settings. Recreate forbids those settings, so
#    the patch removes them (null) in the same change that sets the type (strategy.yaml).
k patch deployment web --type merge --patch-file "$here/strategy.yaml"
# endregion strategy

# region update
# 2. The new version: a new Pod template (v2.yaml), so the Deployment rolls out — the Recreate way.
k patch deployment web --patch-file "$here/v2.yaml"
# endregion update

# region wait
# 3. Wait until every replica runs v2 and is ready.
if ! k rollout status deployment/web --timeout="$timeout"; then
  echo "web did not finish rolling out to v2 within $timeout: see kubectl -n $namespace describe deployment web" >&2
  exit 1
fi
# endregion wait
