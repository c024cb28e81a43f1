#!/usr/bin/env bash
# Builds the image and runs docker/compose.yaml once for real: a dossier is received through
# the API container, its scan digitized by a digitize worker, then everything is removed.
# Needs a working Docker daemon with the compose plugin, and registry access for the base
# images (python:3.11-slim-bookworm, postgres:15, redis:7). Exit 0 only if the scan was
# digitized. Run by tests/test_docker.py when `docker info` answers.
set -euo pipefail
cd "$(dirname "$0")/.."
project="sohoa-smoke-$$"
compose=(docker compose -p "$project" -f docker/compose.yaml)
secrets=$(mktemp -d)
echo "smoke-only" >"$secrets/sign_passphrase"
export SOHOA_SIGN_PASSPHRASE_PATH="$secrets/sign_passphrase" SOHOA_KEYS_DIR="$secrets"
export SOHOA_DIGITIZE_WORKERS=2
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
