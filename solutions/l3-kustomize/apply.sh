#!/usr/bin/env bash
# Apply the dev and prod overlays of hello-app, each into its own namespace, and wait until both
# have rolled out. The overlays name no namespace: the namespace is chosen here, at apply time.
#
# Usage:   solutions/l3-kustomize/apply.sh [kustomize-dir]
#          kustomize-dir defaults to this solution's deploy/kustomize; in your clone of
#          lab/hello-app it is deploy/kustomize.
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
#          TIMEOUT      how long to wait for each rollout (default 180s)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/deploy/kustomize}
context=${LAB_CONTEXT:-kind-cicd-lab}
timeout=${TIMEOUT:-180s}

if [ ! -f "$dir/overlays/dev/kustomization.yaml" ] || [ ! -f "$dir/overlays/prod/kustomization.yaml" ]; then
  echo "no overlays in $dir: expected $dir/overlays/dev and $dir/overlays/prod" >&2
  exit 2
fi

# region apply
for env in dev prod; do
  namespace=l3-kustomize-$env
  kubectl --context "$context" apply -k "$dir/overlays/$env" --namespace "$namespace"
done
# endregion apply
for env in dev prod; do
  kubectl --context "$context" --namespace "l3-kustomize-$env" rollout status deployment/hello-app --timeout="$timeout"
done
