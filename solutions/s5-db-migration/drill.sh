#!/usr/bin/env bash
# The database schema change drill, in the four steps of the notes this kit grew from:
#   1. announce the outage   2. scale the shop to 0   3. migrate   4. ship the new tag with 2 replicas
# v2 reads a column that only the migration adds, and v1 must not run while the table changes,
# so the two versions never run together: each step starts only when the one before has finished.
#
# Usage:   solutions/s5-db-migration/drill.sh
# Env:     LAB_CONTEXT     kube context (default kind-cicd-lab: never the current one by accident)
#          NAMESPACE       default s5-db-migration
#          NOTICE_SECONDS  how long users see the notice before the shop stops (default 60: the
#                          kubelet takes up to a minute or two to show a new ConfigMap in the Pods)
#          TIMEOUT         how long to wait for each step, in seconds or minutes (default 180s; e.g. 3m)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
context=${LAB_CONTEXT:-kind-cicd-lab}
namespace=${NAMESPACE:-s5-db-migration}
notice_seconds=${NOTICE_SECONDS:-60}
timeout=${TIMEOUT:-180s}
k() { kubectl --context "$context" --namespace "$namespace" "$@"; }

if ! k get deployment shop >/dev/null; then
  echo "There is no Deployment shop in $namespace. Lay out the lab first: npm run lab -- start s5-db-migration" >&2
  exit 1
fi
if [ "$(k get job shop-migrate-v2 -o 'jsonpath={.status.succeeded}' 2>/dev/null || true)" = 1 ]; then
  echo "Job shop-migrate-v2 already succeeded: the migration is done. To run the drill again, reset the lab: npm run lab -- reset s5-db-migration" >&2
  exit 1
fi

# region announce
echo "1/4 Announce the outage (ConfigMap shop-notice, shown by the shop)"
k apply -f "$here/notice.yaml"
echo "    Users see the notice for ${notice_seconds}s before the shop stops."
sleep "$notice_seconds"
# endregion announce

# region stop
echo "2/4 Stop the shop: 0 replicas, and wait until its Pods are gone (they hold database connections)"
k scale deployment/shop --replicas=0
case $timeout in *m) limit=$((${timeout%m} * 60)) ;; *s) limit=${timeout%s} ;; *) limit=$timeout ;; esac
deadline=$((SECONDS + limit))
while [ -n "$(k get pods --selector app=shop --output name)" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "Pods of the shop are still there after $timeout: see kubectl -n $namespace get pods -l app=shop. Nothing was migrated." >&2
    exit 1
  fi
  sleep 2
done
# endregion stop

# region migrate
echo "3/4 Migrate: Job shop-migrate-v2, and wait until it has completed"
k apply -k "$here/migration"
if ! k wait --for=condition=complete job/shop-migrate-v2 --timeout="$timeout"; then
  echo "The migration did not complete, so the shop stays stopped on v1 (0 replicas)." >&2
  echo "Read why: kubectl -n $namespace logs job/shop-migrate-v2" >&2
  echo "To bring v1 back meanwhile: kubectl -n $namespace scale deployment/shop --replicas=2" >&2
  exit 1
fi
# endregion migrate

# region ship
echo "4/4 Ship v2: the new tag and 2 replicas (ship-v2.yaml)"
k patch deployment shop --patch-file "$here/ship-v2.yaml"
if ! k rollout status deployment/shop --timeout="$timeout"; then
  echo "v2 did not become ready: see kubectl -n $namespace describe deployment shop, and the Pods' /readyz" >&2
  exit 1
fi
# endregion ship

k patch configmap shop-notice --type merge --patch '{"data":{"message":"The database upgrade is done: every order now shows its status."}}'
echo "Done: the shop runs v2 with 2 replicas on the new schema."
