#!/bin/sh
# The namespace job (docker-compose.yml, service temporal-namespace): registers the namespace the API and the
# worker use (TEMPORAL_NAMESPACE, `default` in the code). The deprecated auto-setup image did this itself;
# temporalio/server does not, and a worker polling a missing namespace fails. Idempotent: an existing namespace
# is left as it is. The API and the worker start only after this job exited 0.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
# How long closed workflow histories stay visible in the Temporal UI. The application's own audit log and read
# model are the permanent record; Temporal needs none of it after a workflow has closed.
RETENTION=${NAMESPACE_RETENTION:-720h}
ATTEMPTS=${ATTEMPTS:-60}

attempt=1
# The server's port opens before its services have joined the ring: wait until the cluster says SERVING.
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "namespace: the Temporal server at $TEMPORAL_ADDRESS did not become healthy" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace: $NAMESPACE exists"
  exit 0
fi
temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
# Creation reaches every frontend through the namespace cache: wait until it is readable before the apps start.
attempt=1
until temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "namespace: $NAMESPACE was created but cannot be read back" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 1
done
echo "namespace: $NAMESPACE created (retention $RETENTION)"
