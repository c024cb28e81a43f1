#!/usr/bin/env bash
# Builds the image and runs docker/compose.yaml once for real: a dossier is received through
# the API container, its scan digitized by a digitize worker, then everything is removed.
# Needs a working Docker daemon with the compose v2 plugin, and the images debian:bookworm-slim,
# postgres:15 and redis:7 (pulled, or already there). Exit 0 only if the scan was digitized.
# Run by tests/test_docker.py when all of that is at hand. The host's extra CA certificates
# (Debian's /usr/local/share/ca-certificates) go to the build stage, as in docker-image-smoke.sh.
# scripts/docker-image-smoke.sh runs the same image without compose.
set -euo pipefail
cd "$(dirname "$0")/.."
project="sohoa-smoke-$$"
compose=(docker compose -p "$project" -f docker/compose.yaml)
secrets=$(mktemp -d)
echo "smoke-only" >"$secrets/sign_passphrase"
export SOHOA_SIGN_PASSPHRASE_PATH="$secrets/sign_passphrase" SOHOA_KEYS_DIR="$secrets"
export SOHOA_DIGITIZE_WORKERS=2
SOHOA_REDIS_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export SOHOA_REDIS_PASSWORD
# compose.yaml has no default database password: a throwaway one for this run
SOHOA_DB_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")
export SOHOA_DB_PASSWORD
if [[ -z "${SOHOA_EXTRA_CA_CERTS:-}" ]] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  SOHOA_EXTRA_CA_CERTS=$(cat /usr/local/share/ca-certificates/*.crt)
  export SOHOA_EXTRA_CA_CERTS
fi
cleanup() { "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; rm -rf "$secrets"; }
trap cleanup EXIT

"${compose[@]}" up -d --build --wait --wait-timeout 600
run() { "${compose[@]}" exec -T api "$@"; }
code=$(run sohoa dossier new --procedure 1.001193 --applicant "Nguyễn Văn An")
run sohoa samples --out /tmp/smoke >/dev/null
scan=$(run sh -c 'ls /tmp/smoke/*.jpg | head -n 1')
run sohoa dossier add "$code" "$scan" >/dev/null
for _ in $(seq 1 120); do
  if run sohoa dossier show "$code" --json | grep -q '"status": *"digitized"'; then
    echo "smoke: $code digitized by the compose stack"
    "${compose[@]}" ps
    exit 0
  fi
  sleep 5
done
echo "smoke: $code was not digitized within 10 minutes" >&2
"${compose[@]}" logs --tail 50 worker-digitize >&2
exit 1
