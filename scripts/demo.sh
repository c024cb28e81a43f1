#!/usr/bin/env bash
# The main job on embedded defaults, as a clerk's day would run it: receive a dossier, add
# its scans, digitize them on the queue, and look at the result. Run by `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SOHOA_DATA_DIR="${SOHOA_DATA_DIR:-$PWD/sohoa-data}"
# The project's virtualenv (`make demo` makes it); else the one whose sohoa is on PATH (a
# git worktree run as `PATH=/path/to/.venv/bin:$PATH PYTHONPATH=$PWD scripts/demo.sh`).
BIN="${SOHOA_BIN:-.venv/bin}"
[[ -x "$BIN/sohoa" ]] || BIN="$(dirname "$(command -v sohoa)")"
SOHOA="$BIN/sohoa"
PY="$BIN/python"
PROCEDURE="${PROCEDURE:-1.001193}"
SEED="${SEED:-7}"
scans="$SOHOA_DATA_DIR/demo-scans/seed-$SEED"

step() { printf '\n== %s\n' "$*"; }
# A step that did nothing stops the demo: a story that carries on silently proves nothing.
die() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }
field() { $PY -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[k]
print(v)' "$1"; }

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
[[ -f "$scans/truth.json" ]] && compgen -G "$scans/[0-9]*" >/dev/null || die "no scans were generated in $scans"

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
[[ "$($SOHOA dossier show "$code" --json | field completeness.complete)" == True ]] \
  || die "dossier $code is not complete after digitization (a scan not digitized or not signed by the clerk?)"

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
shown=$($SOHOA dossier review "$code" | sed -n 1p)  # (sed reads it all: no SIGPIPE under pipefail) CODE:DOCUMENT_ID:SHA256 of the PDF read
$SOHOA dossier sign "$shown"
$SOHOA worker --burst 2>&1 | grep -E "Job OK|failed|error" || true
$SOHOA dossier sign "$shown"

step "8. The signed result, and its verification"
signed=$($SOHOA dossier result "$code")
echo "signed result: $signed"
[[ -s "$signed" ]] || die "dossier $code has no signed result"
$SOHOA verify "$signed" || die "the signed result of $code does not verify"

# --- Archiving and search (issue 6) -----------------------------------------------------
step "9. The result is returned to the citizen"
$SOHOA dossier return "$code"
[[ "$($SOHOA dossier show "$code" --json | field status)" == returned ]] || die "dossier $code was not returned"

step "10. The archivist seals the dossier: signatures verified, PDF/A checked, BagIt package and replica"
$SOHOA archive "$code" --by "Cán bộ lưu trữ"
[[ "$($SOHOA dossier show "$code" --json | field status)" == archived ]] || die "dossier $code was not archived"

step "11. An access copy for a colleague, logged with who and why (BagIt, one PDF in time order)"
access="$SOHOA_DATA_DIR/demo-access/$code"
rm -rf "$access"
$SOHOA export "$code" --out "$access" --by "Cán bộ tư pháp" --reason "Trích lục theo yêu cầu" --combined
[[ -s "$access/data/record.pdf" ]] || die "the access copy of $code has no combined record.pdf"

step "12. Found again, typed without diacritics"
plain=$($PY -c 'import sys, unicodedata; t = unicodedata.normalize("NFD", sys.argv[1]).replace("đ", "d").replace("Đ", "D"); print("".join(c for c in t if not unicodedata.combining(c)))' "$name")
echo "sohoa search \"giay khai sinh $plain\""
found=$($SOHOA search "giay khai sinh $plain")
echo "$found"
grep -q "$code" <<<"$found" || die "searching without diacritics did not find $code"

# --- The office's figures: reuse, deadlines, statistics, data exchange (issue 10) -------
step "13. The same citizen comes back for a business registration in Xã Hòa Bình, at Xã Mẫu's public-service centre: received there, routed to Hòa Bình (Decree 118/2025), the ID card reused, not rescanned"
centre=ttphcc-xa-mau competent=xa-hoa-binh
second=$($SOHOA dossier new --procedure 1.001612 --unit "$centre" --applicant "$name" --id-number "$id_number")
shown=$($SOHOA dossier show "$second" --json)
[[ "$(field unit <<<"$shown")" == "$centre" ]] || die "dossier $second was not received at $centre"
echo "dossier code: $second, received at: $(field unit_name <<<"$shown"), held by: $(field competent_unit_name <<<"$shown")"
$SOHOA dossier route "$second" --to "$competent" --reason "Địa điểm kinh doanh thuộc xã Hòa Bình"
shown=$($SOHOA dossier show "$second" --json)
[[ "$(field competent_unit <<<"$shown")" == "$competent" && "$(field unit <<<"$shown")" == "$centre" ]] \
  || die "the routing of $second to $competent was not recorded (or its receiving unit moved)"
competent_name=$(field competent_unit_name <<<"$shown")
# The ID card was digitized at Xã Mẫu's People's Committee (step 2): its centre's clerk sees both
seen=(--unit "$centre" --unit "$(field unit < <($SOHOA dossier show "$code" --json))")
$SOHOA dossier documents "$second" "${seen[@]}"
read -r component result_code < <($SOHOA dossier documents "$second" "${seen[@]}" --json | $PY -c 'import json,sys; v=json.load(sys.stdin); d=[d for d in v["documents"] if d["components"]]; print(*((d[0]["components"][0], d[0]["code"]) if d else ("-", "-")))')
[[ "$component" != "-" ]] || die "no still-valid digitized document of $name to reuse (is the ID card digitized, signed, and within its printed validity?)"
$SOHOA dossier reuse "$second" --component "$component" --result "$result_code" "${seen[@]}"
reused=$($SOHOA dossier show "$second" --json | $PY -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin)["components"] if c["result"] and c["result"]["reused_from"]))')
(( reused > 0 )) || die "dossier $second reused nothing"

step "13b. A supplement is requested within 3 working days, then the citizen brings it: the clock restarts"
$SOHOA dossier supplement "$second" --reason "Thiếu giấy đề nghị đăng ký hộ kinh doanh"
[[ "$($SOHOA dossier show "$second" --json | field status)" == supplement_requested ]] \
  || die "the supplement request on $second was not recorded"
$SOHOA dossier resume "$second"
[[ "$($SOHOA dossier show "$second" --json | field status)" != supplement_requested ]] \
  || die "dossier $second still waits for its supplement after resume"
echo "Circular 03/2025 forms printed from the dossier's events:"
request_pdf=$($SOHOA dossier form "$second" --form 02)
slip_pdf=$($SOHOA dossier form "$second" --form 06)
echo "$request_pdf"; echo "$slip_pdf"
grep -q "Thiếu giấy đề nghị" <<<"$(pdftotext -raw "$request_pdf" - | tr -s '[:space:]' ' ')" \
  || die "the supplement request (form 02) of $second does not say what to bring"
grep -q "Chuyển đơn vị có thẩm quyền" <<<"$(pdftotext -raw "$slip_pdf" - | tr -s '[:space:]' ' ')" \
  || die "the control slip (form 06) of $second does not show its routing"

step "13c. A birth registration (same-day procedure) received on paper at 16:30, after the 15:00 cut-off, entered afterwards: due the next working day"
read -r late_at expected < <($PY - <<'PYTHON'
from datetime import datetime, timedelta
from config.calendar import get_calendar
from config.settings import get_settings
calendar, now = get_calendar(), datetime.now(get_settings().zone)
day = now.date() if now.hour * 60 + now.minute > 16 * 60 + 30 and calendar.is_working_day(now.date()) \
    else next(d for d in (now.date() - timedelta(days=k) for k in range(1, 8)) if calendar.is_working_day(d))
print(f"{day.isoformat()}T16:30", calendar.next_working_day(day).isoformat())
PYTHON
)
late=$($SOHOA dossier new --procedure 1.001193 --applicant "Nguyễn Văn An" --received-at "$late_at")
appointment=$($SOHOA dossier show "$late" --json | field appointment_at)
echo "dossier $late received $late_at, appointment $appointment (expected $expected)"
[[ "$($PY -c 'import sys; from datetime import datetime; from config.settings import get_settings; print(datetime.fromisoformat(sys.argv[1]).astimezone(get_settings().zone).date())' "$appointment")" == "$expected" ]] \
  || die "the birth registration received at $late_at is not due on the next working day $expected"
receipt_text=$(pdftotext -layout "$($SOHOA dossier receipt "$late")" -)
grep -E "Thời gian (giải quyết|nhận|trả)" <<<"$receipt_text"
grep -q "Trong ngày" <<<"$receipt_text" || die "the receipt of same-day dossier $late does not say 'Trong ngày'"

step "13d. The father shows his ID card in VNeID instead of handing in a copy: the clerk records the check, the component is satisfied, the portal counts national data"
card=$($SOHOA dossier show "$late" --json | $PY -c 'import json,sys; print(next(c["id"] for c in json.load(sys.stdin)["components"] if c["expected_type"] == "cccd"))')
$SOHOA dossier check-national "$late" --component "$card" --source vneid --reference "VNeID-$(date +%H%M%S)"
checked=$($SOHOA dossier show "$late" --json | $PY -c 'import json,sys; v=json.load(sys.stdin); c=next(c for c in v["components"] if c["expected_type"] == "cccd"); print(int(c["national_check"] is not None and c["label"] in v["completeness"]["present"]))')
(( checked == 1 )) || die "the ID card of $late checked in VNeID is not counted present"

step "14. The backlog and the national index's figures (by competent unit, then by receiving centre)"
$SOHOA backlog
$SOHOA stats
$SOHOA stats --by receiving
reuse=$($SOHOA stats --json | tail -n 1 | field reuse.numerator)
(( reuse > 0 )) || die "the figures count no reuse"
population=$($SOHOA stats --json | tail -n 1 | field portal.population_data.numerator)
(( population > 0 )) || die "the portal's figures count no population data or VNeID"

step "15. What a provincial system pulls (the JSON feed; webhooks carry the same messages)"
$SOHOA exchange feed --limit 3
[[ -n "$($SOHOA exchange feed --limit 1)" ]] || die "the exchange feed is empty"
printf '\nDemo done: %s received at %s, routed to %s, reused %d document(s), supplement asked and resumed, late birth registration %s due %s, its ID card checked in VNeID.\n' \
  "$second" "$(field unit_name < <($SOHOA dossier show "$second" --json))" "$competent_name" "$reused" "$late" "$expected"
