#!/usr/bin/env bash
# Installs one lock (requirements/*.lock) into a virtualenv, every file checked against its
# hash, then sohoa itself from this checkout. Run by `make setup`/`make bench` (and mirrored by
# docker/Dockerfile). Usage: scripts/install-locked.sh VENV LOCK [--deps-only | --no-editable]
# --deps-only installs the lock alone (the image's dependency layer, built before the code is
# copied); --no-editable installs sohoa as a regular package (the image).
#
# Nothing is fetched unhashed: the build tools (setuptools, wheel, setuptools-scm and what they
# need) are installed from the lock first, and everything after is built without build
# isolation, so pip never downloads a build backend of its own choosing (bagit is an sdist).
set -euo pipefail
venv=$1 lock=$2 mode=${3:-}
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
test -x "$venv/bin/python" || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps)
tools=$(mktemp)
trap 'rm -f "$tools"' EXIT
# A lock entry is a `name==version \` line and its hash lines; keep the build tools' entries.
awk -v names=" pip setuptools wheel setuptools-scm vcs-versioning packaging " '
  /^[A-Za-z0-9]/ { split($1, a, "=="); keep = index(names, " " a[1] " ") > 0 }
  /^#/ { keep = 0 }
  keep { print }' "$lock" >"$tools"
"${pip[@]}" --require-hashes -r "$tools"
"${pip[@]}" --require-hashes --no-build-isolation -r "$lock"
if [[ "$mode" == --deps-only ]]; then
  exit 0
elif [[ "$mode" == --no-editable ]]; then
  "${pip[@]}" --no-build-isolation .
else
  "${pip[@]}" --no-build-isolation -e .
fi
