#!/usr/bin/env bash
# Blue/green switch, the "script + kubectl" way: wait until the target colour is fully ready,
# and only then point Service web at it. The other colour keeps running, so switching back
# (rolling back) is the same command with the other colour.
#
# Usage:   solutions/s3-bluegreen/switch.sh green|blue
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE    default s3-bluegreen
#          TIMEOUT      how long to wait for readiness (default 180s)
set -euo pipefail

color=${1:-}
case "$color" in
  green | blue) ;;
  *) echo "usage: $0 green|blue" >&2; exit 2 ;;
esac
context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-s3-bluegreen}
timeout=${TIMEOUT:-180s}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

# region wait
# 1. Every replica of web-<color> updated and available (available includes minReadySeconds).
echo "Waiting up to $timeout for web-$color to be ready…"
if ! k rollout status "deployment/web-$color" --timeout="$timeout"; then
  echo "web-$color is not ready: Service web was NOT switched and still serves the old colour." >&2
  exit 1
fi
# endregion wait

# region switch
# 2. Only now move the traffic: one change to the Service's selector (select-green.yaml, select-blue.yaml).
k patch service web --type merge --patch-file "$here/select-$color.yaml"
# endregion switch

echo "Service web now selects: $(k get service web -o jsonpath='{.spec.selector}')"
other=$([ "$color" = green ] && echo blue || echo green)
echo "Roll back with: $0 $other"
