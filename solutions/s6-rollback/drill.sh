#!/usr/bin/env bash
# The failure drill of s6-rollback, end to end: guard web, ship the bad v3, see the rollout stall
# while v2 keeps serving, read why, and roll back with `kubectl rollout undo`.
#
# Usage:   solutions/s6-rollback/drill.sh
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE    default s6-rollback
#          TIMEOUT      how long to wait for a rollout, in seconds or minutes (default 180s; longer
#                       than the guard's progress deadline, so that the deadline speaks first)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
labs=$(cd "$here/../../labs/s6-rollback" && pwd)
context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-s6-rollback}
timeout=${TIMEOUT:-180s}
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

if ! k get deployment web >/dev/null; then
  echo "There is no Deployment web in $namespace. Lay out the lab first: npm run lab -- start s6-rollback" >&2
  exit 1
fi

echo "1/4 Guard web (maxUnavailable 0, a readinessProbe, a progress deadline) and wait until v2 is rolled out guarded"
k apply -f "$here/web.yaml"
if ! k rollout status deployment/web --timeout="$timeout"; then
  echo "The guarded v2 did not roll out: see kubectl -n $namespace describe deployment web" >&2
  exit 1
fi

echo "2/4 Release v3 (labs/s6-rollback/release-v3.yaml)"
k patch deployment web --patch-file "$labs/release-v3.yaml"
if k rollout status deployment/web --timeout="$timeout"; then
  echo "v3 rolled out, so there is nothing to roll back: is release-v3.yaml the lab's own?" >&2
  exit 1
fi

echo "3/4 It stalled (kubectl rollout status said why; v2 kept serving meanwhile). The revisions:"
k rollout history deployment/web

echo "4/4 Roll back to the revision before v3, and wait until v2 is complete again"
k rollout undo deployment/web
if ! k rollout status deployment/web --timeout="$timeout"; then
  echo "The rollback did not complete: see kubectl -n $namespace describe deployment web" >&2
  exit 1
fi
echo "Done: web runs v2 again, at a revision newer than v3's."
