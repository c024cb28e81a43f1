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

step "0. A test PKI for the demo (made here, never downloaded): CAs, clerk, leader, seal, OCSP, CRL, TSA"
pki="$SOHOA_DATA_DIR/testpki"
rm -rf "$pki"
eval "$($SOHOA testpki init --dir "$pki")"
$SOHOA testpki serve --dir "$pki" --ready-file "$pki/ready" 2>/dev/null &
pki_pid=$!
trap 'kill "$pki_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -f "$pki/ready" ]] && break; sleep 0.1; done
echo "services at $(cat "$pki/ready"); trusting $SOHOA_TRUST_ROOTS"

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

step "4. A worker digitizes the queue (OCR, text layers, PDF/A, type, data); the clerk signs each result"
$SOHOA worker --burst 2>&1 | grep -E "Job OK|failed|error" || true

step "5. The dossier with its digitized components and their digitization results"
$SOHOA dossier show "$code"

# --- Signing the result (issue 5) -------------------------------------------------------
step "6. The office drafts the result, a born-digital Giấy khai sinh, and files it in the dossier"
result="$SOHOA_DATA_DIR/demo-result/giay-khai-sinh-$SEED.pdf"
mkdir -p "$(dirname "$result")"
$PY - "$result" "$SEED" <<'PYTHON'
import dataclasses, random, sys
from digitize.synthetic import Mark, default_family, make_document, write_born_digital_pdf
doc = make_document("giay_khai_sinh", random.Random(int(sys.argv[2])))
# drafted for e-signature: no drawn seal or signature, those come with the signatures
unsigned = [[dataclasses.replace(l, mark=Mark.NONE) if l.mark in (Mark.SEAL, Mark.SIGNATURE) else l
             for l in page] for page in doc.pages]
doc = dataclasses.replace(doc, pages=tuple(tuple(p) for p in unsigned))
print(write_born_digital_pdf(doc, sys.argv[1], default_family()))
PYTHON
$SOHOA dossier add "$code" "$result"
$SOHOA worker --burst 2>&1 | grep -E "Job OK|failed|error" || true

step "7. The leader reviews the result, signs it as reviewed (certifying it), văn thư numbers it and applies the seal"
shown=$($SOHOA dossier review "$code" | head -n 1)  # CODE:DOCUMENT_ID:SHA256 of the PDF read
$SOHOA dossier sign "$shown"
$SOHOA worker --burst 2>&1 | grep -E "Job OK|failed|error" || true
$SOHOA dossier sign "$shown"

step "8. The signed result, and its verification"
signed=$($SOHOA dossier result "$code")
echo "signed result: $signed"
$SOHOA verify "$signed" || true

# --- Archiving and search (issue 6) -----------------------------------------------------
step "9. The result is returned to the citizen"
$SOHOA dossier return "$code"

step "10. The archivist seals the dossier: signatures verified, PDF/A checked, BagIt package and replica"
$SOHOA archive "$code" --by "Cán bộ lưu trữ"

step "11. An access copy for a colleague, logged with who and why (BagIt, one PDF in time order)"
access="$SOHOA_DATA_DIR/demo-access/$code"
rm -rf "$access"
$SOHOA export "$code" --out "$access" --by "Cán bộ tư pháp" --reason "Trích lục theo yêu cầu" --combined

step "12. Found again, typed without diacritics"
plain=$($PY -c 'import sys, unicodedata; t = unicodedata.normalize("NFD", sys.argv[1]).replace("đ", "d").replace("Đ", "D"); print("".join(c for c in t if not unicodedata.combining(c)))' "$name")
echo "sohoa search \"giay khai sinh $plain\""
$SOHOA search "giay khai sinh $plain"

# --- The office's figures: reuse, deadlines, statistics, data exchange (issue 10) -------
step "13. The same citizen comes back for a business registration: the ID card is reused, not rescanned"
second=$($SOHOA dossier new --procedure 1.001612 --applicant "$name" --id-number "$id_number")
$SOHOA dossier documents "$second"
read -r component result_code < <($SOHOA dossier documents "$second" --json | $PY -c 'import json,sys; v=json.load(sys.stdin); d=[d for d in v["documents"] if d["components"]]; print(*((d[0]["components"][0], d[0]["code"]) if d else ("-", "-")))')
if [[ "$component" != "-" ]]; then
  $SOHOA dossier reuse "$second" --component "$component" --result "$result_code"
fi
$SOHOA dossier supplement "$second" --reason "Thiếu giấy đề nghị đăng ký hộ kinh doanh"

step "14. The backlog and the national index's figures"
$SOHOA backlog
$SOHOA stats

step "15. What a provincial system pulls (the JSON feed; webhooks carry the same messages)"
$SOHOA exchange feed --limit 3
