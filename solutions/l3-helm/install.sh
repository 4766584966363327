#!/usr/bin/env bash
# The first release of hello-app, by hand: install the chart into l3-helm with a tag chosen on the
# command line. The pipeline then runs the same command with its own tag (a new revision).
#
# Usage:   solutions/l3-helm/install.sh [tag] [chart-dir]
#          tag defaults to v1 (an image the platform pushed); chart-dir to this solution's chart,
#          in your clone of lab/hello-app it is deploy/helm/hello-app.
# Env:     LAB_CONTEXT  kube context (default kind-cicd-lab: never the current one by accident)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tag=${1:-v1}
chart=${2:-$here/deploy/helm/hello-app}
context=${LAB_CONTEXT:-kind-cicd-lab}

if [ ! -f "$chart/Chart.yaml" ]; then
  echo "no chart in $chart (no Chart.yaml)" >&2
  exit 2
fi

# region install
helm upgrade --install hello-app "$chart" \
  --kube-context "$context" --namespace l3-helm \
  --set image.tag="$tag" --wait --timeout 3m
# endregion install
