#!/usr/bin/env bash
# Release a version of Rollout web and wait for the verdict of its analysis:
#   release.sh v2   the analysis passes, the canary goes on, v2 becomes stable (Healthy);
#   release.sh v3   the analysis fails, the controller aborts, traffic goes back to the stable v2.
# Each release is the lab's own patch, labs/l4-rollouts-analysis/release-<tag>.yaml.
#
# Usage:   solutions/l4-rollouts-analysis/release.sh <v2|v3>
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE    default l4-rollouts-analysis
#          TIMEOUT      how long to wait for the verdict (default 5m)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
labs=$(cd "$here/../../labs/l4-rollouts-analysis" && pwd)
tag=${1:-}
if [ ! -f "$labs/release-$tag.yaml" ]; then
  echo "usage: $0 <v2|v3> (a release the lab has: labs/l4-rollouts-analysis/release-<tag>.yaml)" >&2
  exit 2
fi
context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-l4-rollouts-analysis}
timeout=${TIMEOUT:-5m}
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

if ! k get analysistemplate error-rate >/dev/null; then
  echo "There is no AnalysisTemplate error-rate in $namespace: apply solutions/l4-rollouts-analysis/analysis-template.yaml first." >&2
  exit 1
fi
echo "Waiting up to $timeout for Rollout web to be Healthy before releasing…"
if ! k wait rollout/web --for=jsonpath='{.status.phase}'=Healthy --timeout="$timeout"; then
  echo "Rollout web is not Healthy: look at it first (kubectl argo rollouts get rollout web -n $namespace)." >&2
  exit 1
fi

# region release
k patch rollout web --type json --patch-file "$labs/release-$tag.yaml"
# endregion release
# The controller writes the generation it has seen into status.observedGeneration (as a string);
# wait for it, so that the verdict below is about this release and not the one before.
generation=$(k get rollout web -o jsonpath='{.metadata.generation}')
k wait rollout/web --for=jsonpath='{.status.observedGeneration}'="$generation" --timeout="$timeout"

if [ "$tag" = v3 ]; then
  echo "Waiting up to $timeout for the analysis to abort $tag…"
  if ! k wait rollout/web --for=jsonpath='{.status.abort}'=true --timeout="$timeout"; then
    echo "The Rollout was not aborted: look at its AnalysisRuns (kubectl -n $namespace get analysisruns)." >&2
    exit 1
  fi
else
  echo "Waiting up to $timeout for the analysis to pass and $tag to become stable…"
  if ! k wait rollout/web --for=jsonpath='{.status.phase}'=Healthy --timeout="$timeout"; then
    echo "$tag did not become stable: look at its AnalysisRuns (kubectl -n $namespace get analysisruns)." >&2
    exit 1
  fi
fi
echo "Rollout web: $(k get rollout web -o jsonpath='{.status.phase}') $(k get rollout web -o jsonpath='{.status.message}')"
k get analysisruns
