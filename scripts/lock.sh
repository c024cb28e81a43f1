#!/usr/bin/env bash
# `make lock`: resolves every Python dependency, direct and transitive, to one version with the
# hashes of its files, for CPython 3.11 on x86_64 Linux (this machine, CI and the Docker image).
# uv resolves (fast, reproducible, and it can target a Python and platform other than its own);
# plain pip installs (`pip install --require-hashes`), so installing needs no tool but pip.
# Three locks, each a superset of the last: app (the service, for the image), dev (+ tests and
# lint, for `make demo` and `make test`), bench (+ OCRmyPDF and the bench's tools).
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
common=(--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28
        --quiet --no-header "${@}")
digest=$("${PYTHON:-.venv/bin/python}" scripts/lockdigest.py .)
compile() {
  local out=$1; shift
  # uv keeps the versions already in its output file unless told otherwise, so a new dependency
  # changes the lock by that dependency alone; `scripts/lock.sh --upgrade` refreshes everything.
  if [[ -f "$out" ]]; then cp "$out" "$out.tmp"; fi
  "$uv" pip compile pyproject.toml requirements/build.in "$@" "${common[@]}" -o "$out.tmp"
  {
    echo "# Locked by \`make lock\` (scripts/lock.sh) from pyproject.toml and requirements/build.in."
    echo "# Do not edit: change pyproject.toml, then run \`make lock\`."
    echo "# inputs-sha256: $digest"
    cat "$out.tmp"
  } >"$out"
  rm "$out.tmp"
  echo "lock: wrote $out ($(grep -c '^[a-z0-9]' "$out") packages)"
}
compile requirements/app.lock
compile requirements/dev.lock --extra dev
compile requirements/bench.lock --extra dev --extra bench
