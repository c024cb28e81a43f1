#!/usr/bin/env bash
# The main job on embedded defaults, as a clerk's day would run it: receive a dossier, add
# its scans, digitize them on the queue, and look at the result. Run by `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SOHOA_DATA_DIR="${SOHOA_DATA_DIR:-$PWD/sohoa-data}"
SOHOA=.venv/bin/sohoa
PY=.venv/bin/python
PROCEDURE="${PROCEDURE:-1.001193}"
SEED="${SEED:-7}"
scans="$SOHOA_DATA_DIR/demo-scans/seed-$SEED"

step() { printf '\n== %s\n' "$*"; }

step "1. A citizen's paper dossier, scanned in a hurry (generated: rendered, skewed, noised) -> $scans"
rm -rf "$scans"
$SOHOA samples --out "$scans" --procedure "$PROCEDURE" --seed "$SEED"

read -r name id_number < <($PY -c 'import json,sys; a=json.load(open(sys.argv[1]))["applicant"]; print(a["full_name"].replace(" ", "\u00a0"), a["id_number"])' "$scans/truth.json")
name="${name//$'\u00a0'/ }"

step "2. The clerk receives the dossier (procedure $PROCEDURE) for $name"
code=$($SOHOA dossier new --procedure "$PROCEDURE" --applicant "$name" --id-number "$id_number")
echo "dossier code: $code"

step "3. The scans are stored durably, then queued for digitization"
$SOHOA dossier add "$code" "$scans"/[0-9]*

step "4. A worker digitizes the queue (OCR, text layers, PDF/A, type, data)"
$SOHOA worker --burst 2>&1 | grep -E "Job OK|failed|error" || true

step "5. The dossier with its digitized components"
$SOHOA dossier show "$code"
