"""Tunables of sohoa in one place; settings read them as their defaults."""

from __future__ import annotations

DATA_DIR = "sohoa-data"
"""Where embedded deployments keep everything: database, blobs, Redis files, outputs."""

AGENCY_CODE = "000.00.00.H00"
"""The agency part of dossier codes (V1V2V3.Z1Z2.Y1Y2.MX1X2: config.identifiers).
Every office sets its own; this placeholder only keeps a fresh install working."""

UNIT_CODE = "demo"
"""The unit (commune, district office) new dossiers belong to unless one is given."""

TIMEZONE = "Asia/Ho_Chi_Minh"
"""Dossier codes and appointment dates follow the office's calendar day, not UTC's."""

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""Largest file accepted for one dossier component; a 100-page 300 dpi colour scan fits."""

MAX_PAGES = 500
"""Most pages in one file; larger files are refused rather than tying up a worker for hours."""

MAX_IMAGE_PIXELS = 150_000_000
"""Most pixels in one page image (about A0 at 300 dpi). Larger images are refused as
likely decompression bombs before they are decoded."""

MAX_RENDER_PIXELS = 40_000_000
"""Most pixels when rendering a PDF page for OCR; huge pages are rendered at a lower dpi."""

OCR_LANGUAGE = "vie"
"""Tesseract language model; `vie` covers Vietnamese and the Latin letters of English."""

OCR_RENDER_DPI = 300
"""Resolution at which PDF pages without a text layer are rendered for OCR."""

OCR_PAGE_TIMEOUT = 180.0
"""Seconds one page may take in Tesseract before it is abandoned and flagged."""

TEXT_LAYER_MIN_CHARS = 30
"""A PDF page with at least this many non-space characters of text is read, not OCRed."""

TEXT_LAYER_MIN_PLAUSIBLE = 0.6
"""A text layer is replaced by OCR when fewer of its words than this share are possible
Vietnamese syllables, numbers or codes (measured: Word exports of real letters 0.86-0.97,
generated ones 0.93-1.0; English text 0.0-0.6; a scanner's broken encoding 0.0)."""

TEXT_LAYER_MIN_DIACRITICS = 0.3
"""... or when fewer of its words (of two letters or more) than this share carry a
Vietnamese mark (measured: real and generated letters 0.74-0.93; a scanner's OCR that drops
or mangles the marks, and English text, near 0)."""

TEXT_LAYER_MAX_GARBAGE = 0.05
"""... or when more of its characters than this share are control, private-use or
replacement characters or symbols Vietnamese text does not use (good layers: under 0.003)."""

TEXT_LAYER_JUDGED_WORDS = 12
"""Text layers with fewer words are too short to judge and are kept."""

JOB_RETRIES = 3
"""How many times a job that failed for a transient reason is tried again."""

JOB_RETRY_INTERVALS = (5, 30, 120)
"""Seconds to wait before each retry: backoff, so a restarting database has time to return."""

DIGITIZE_JOB_TIMEOUT = 3600
"""Seconds one digitize job may run before rq kills it (a whole document, every page)."""

URGENT_WORKING_DAYS = 0
"""A dossier due within this many working days is digitized on the urgent lane, which
workers take before the normal one. 0: due today or overdue. Most procedures take 1-3
working days, so a larger value would put most of a day's intake on the urgent lane;
the nightly pass moves yesterday's waiting documents there when their day comes."""

WORKER_STOP_GRACE = 240.0
"""Seconds a worker asked to stop (SIGTERM) lets the job in hand finish before it stops it
and puts it back at the head of its queue; below compose's stop_grace_period (5 min)."""

JOB_FAILURE_TTL = 30 * 24 * 3600
"""Seconds rq keeps a failed job's record for `sohoa status` and inspection."""

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another process's transaction before giving up."""

EXCERPT_CHARS = 160
"""Length of the text excerpt `sohoa dossier show` prints for each document."""

TYPE_CONFIDENCE_THRESHOLD = 0.5
"""Below this classification confidence the document type is reported as `khac`."""
TYPE_SURE_CONFIDENCE = 0.8
"""At or above this confidence a required component counts as present without a clerk
confirming its type; between the threshold and this it is `uncertain` on the checklist."""

SIGNING_KEY_DIR = "keys"
"""Where relative key, certificate and image paths of signer profiles are found, under the
data directory. Key files are secrets: keep the directory readable by the service only."""

PADES_LEVEL = "B-LT"
"""PAdES level of a result whose document type and procedure name none: B-LT carries its own
revocation data, so the signature can still be checked when the CA's servers are gone."""

SIGNATURE_RESERVE_MARGIN = 1.15
"""Headroom over the measured size of a CMS signature container when a batch reserves the
/Contents space once for all its documents, instead of a dry-run signature per document.
Timestamp tokens and OCSP responses vary by a few bytes between calls; 15% covers that."""

SIGN_JOB_TIMEOUT = 600
"""Seconds one signing job may run: a timestamp server and OCSP responder on a slow link."""

SIGNING_SERVICE_TIMEOUT = 30.0
"""Seconds to wait for a timestamp authority, an OCSP responder or a remote signer."""

SIGN_AGENT_PORT = 8987
"""Loopback port the leader's signing agent listens on (the port Vietnamese signing plugins
usually take is not reused on purpose, so both can run side by side)."""

SIGN_AGENT_PAIRING_FAILURES = 10
"""Wrong pairing codes the signing agent takes before it refuses everyone until restarted.
A code has ~79 bits, so this is not what stops guessing; it makes a program trying codes
visible (the leader must restart the agent and gets a new code)."""

SIGN_AGENT_SHOWN_ITEMS = 20
"""Documents the signing agent lists one by one above its PIN prompt; the rest are counted
(the count shown is always the number signed, and every title is in its journal)."""

SIGN_AGENT_TITLE_CHARS = 120
"""Characters of a document title the signing agent shows and journals (one terminal line
with its hash)."""

PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
"""The PKCS#11 library of the token; a USB token's vendor library replaces it in production."""

STAMP_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
"""Fonts for visible signature stamps, first found wins: Times-metric serifs with every
Vietnamese glyph, embedded (subset) into the signed PDF so it renders the same anywhere."""

TYPE_MODEL_MAX_FEATURES = 20_000
"""Character n-grams the document type model keeps (the most frequent in its corpus). More
adds little accuracy and grows the shipped model file (about 50 KB per thousand)."""

TYPE_MODEL_C = 10.0
"""Inverse L2 regularization of the type model's logistic regression (scikit-learn's C)."""

TYPE_MODEL_FILE = "models/document_types.npz"
"""Where `sohoa model train` writes a retrained type model, under the data directory; when
the file exists it replaces the model shipped in the package (SOHOA_TYPE_MODEL overrides)."""

TYPE_RULE_ONLY_MIN = 0.85
"""How closely a head line must read as the printed title of a catalogue type the model was
not trained on (added by the office since) for that type to be named by its title alone."""

TYPE_RULE_ONLY_CONFIDENCE = 0.9
"""Confidence given to a type named by its title alone, times how closely the title reads."""

ID_MIN_OCR_CONFIDENCE = 80.0
"""Least Tesseract word confidence (0-100) for a personal ID number to be reported. A misread
digit (3 for 8) still makes a valid-looking number, and a wrong ID is worse than none;
Tesseract scores those reads lower, but also some right ones. 80 is the highest value that
kept ID recall at 98.5% on a development set read by sohoa's own page reading (bench/,
seed 77, training fonts); raise it where scans are poorer than that."""

HANDWRITTEN_MIN_OCR_CONFIDENCE = 50.0
"""Least Tesseract word confidence (0-100) for a document's number or a day of its date,
often written by hand into the printed blank, to be taken as read. Tesseract has no
handwriting model: it reads ink as junk ("6Š", "2L", "$?4", "0?"), never taken, or as
digits. On vn-admin-real's 18 scans (every number and day there is ink) the plain-digit
readings after "Số:" were right at 83, 76 and 34 and wrong at 90, 46 and 0, the one
plain-digit day wrong at 14: any value in 47-76 keeps the right 83 and 76 and drops the
wrong 46 and 14, and the lowest round value of that range is taken. Printed numbers read
low too (a lone number word: 22-46 on clean generated pages whose other words read at 97),
so a document whose date is print has its number taken from PRINTED_NUMBER_MIN_OCR_CONFIDENCE.
The wrong 90 (ink 11 read as 44) cannot be told from print by its confidence: no
threshold catches every confident misread; the OCR worker checks such digits by reading the
blank's crop again (digitize.handwritten) and marks them unsure when it disagrees."""

PRINTED_DAY_MIN_OCR_CONFIDENCE = 90.0
"""Least Tesseract word confidence of a dateline's day, read as digits, for the document's
date to count as printed, and so its number too: a văn thư numbers and dates a document in
one go (Decree 30/2020), both typed or both written by hand into the blanks. Of the
printed days of the generated held-out set's dates (bench.classify --quick, three
readings) 518 read at 90 or more, 4 at 80-89; no ink day of vn-admin-real's 18 scans reads
as digits at 50 or more (junk: "2#", "0?", "Íð", "0†" at 92; or "80" at 15)."""

PRINTED_NUMBER_MIN_OCR_CONFIDENCE = 10.0
"""Least Tesseract word confidence for a number read as plain digits to be taken on a
document whose date is printed (PRINTED_DAY_MIN_OCR_CONFIDENCE). Tesseract scores a lone
printed number low even on a clean page: on the generated held-out set (bench.classify
--quick, three readings) the right ones read at 16, 22, 24, 32-46, the one misread (57
read as 5, a digit lost) at 2."""

LOOKALIKE_MIN_OCR_CONFIDENCE = 90.0
"""Least Tesseract word confidence for such a number or day read with a letter OCR confuses
with a digit (O for 0, l for 1) to be repaired and taken; below it the word is left out."""

FIELD_SURE_CONFIDENCE = 0.6
"""Confidence (0-1) from which an extracted field is taken as read: an administrative
header's field under it is left out, not guessed (digitize.extraction.admin), and the
understanding bench counts a wrong value given at or above it as invented."""

ARCHIVE_DIR = "archive"
"""Where archival packages (BagIt bags) are kept, under the data directory."""

ARCHIVE_REPLICA_DIR = "archive-replica"
"""Where the second copy of every package is kept, under the data directory. On one disk it
guards against edits and deletions, not against losing the disk: point
SOHOA_ARCHIVE_REPLICA_DIR at another disk or volume in production."""

INBOX_SCAN_SECONDS = 5.0
"""Seconds between two looks of `sohoa serve` at the scanners' inbox: a stack a scanner
finished saving is filed (or left waiting for a clerk) within this plus the 2 s it must
have settled. An empty look lists one folder per unit; a stack costs one page rendered and
read for its QR code. 0 turns it off (a deployment that runs `sohoa inbox watch` instead)."""

FIXITY_SHARE = 0.1
"""Share of the archived packages re-hashed each night, the ones checked longest ago first:
a tenth means every package is read in full at least every ten nights, and a night's run
reads a tenth of the archive (at 200 MB/s, 100 GB of packages take under a minute)."""

FIXITY_HOUR = 2
"""Hour of the night (office time) at which the nightly maintenance job runs."""

MAINTENANCE_JOB_TIMEOUT = 6 * 3600
"""Seconds the nightly maintenance job may run (fixity of a large archive on slow disks)."""

ARCHIVE_JOB_TIMEOUT = 1800
"""Seconds one archiving job may run: verifying signatures, copying and hashing a dossier."""

RETENTION_NOTICE_DAYS = 30
"""Records due for the archive within this many days are listed (and shown in status)."""

SEARCH_LIMIT = 20
"""Results per search unless the caller asks for more."""

SEARCH_SNIPPET_CHARS = 200
"""About how many characters of text a search result's snippet shows around its matches."""

SEARCH_SNIPPET_SCAN_CHARS = 200_000
"""Text a result's snippet is looked for in (about 100 pages): a snippet is one window near
the start's best matches, and a longer scan only costs time (a match past it still finds the
document; its snippet then comes from the metadata or the opening)."""

SEARCH_SNIPPET_MAX_MATCHES = 2_000
"""Matches a snippet's window is chosen among: enough for every page of an ordinary long
document, few enough that a document planted with tens of thousands of matches is cheap."""

SEARCH_MAX_INDEXED_CHARS = 500_000
"""Text indexed per document (about 250 pages). PostgreSQL's tsvector holds at most 1 MB and
word positions up to 16,383, so longer text would fail or match phrases wrongly."""

PUBLIC_URL = "http://127.0.0.1:8000"
"""Where other systems reach this sohoa's HTTP API: file links in exchanged messages."""

EXCHANGE_SETTLE_SECONDS = 30
"""The outbox reads events at least this old: on PostgreSQL, ids are taken before commit,
so a younger event may still have a smaller-id neighbour about to commit."""

EXCHANGE_BATCH = 500
"""Most events the outbox reads, and messages a feed page holds, at once."""

WEBHOOK_BACKOFF = (5, 15, 60, 120, 300)
"""Seconds before each retry of a webhook delivery; the last repeats, so a receiver down
for hours gets a try every 5 minutes and everything once it is back."""

WEBHOOK_TIMEOUT = 10.0
"""Seconds a receiver has to answer one delivery."""

WEBHOOK_POLL_SECONDS = 10
"""How often the standing `webhooks` job looks for new events and due retries."""

SESSION_HOURS = 10
"""A browser session lasts one working day (and a bit): a clerk logs in once a morning, and a
cookie left on a shared counter computer is useless by the next day."""

API_TOKEN_DAYS = 30
"""Bearer tokens for scripts and other systems expire after a month; issue a new one then."""

LOGIN_WINDOW_SECONDS = 15 * 60
"""Failed logins are counted over this window (OWASP's usual 15 minutes)."""

LOGIN_MAX_FAILURES_PER_USER = 5
"""Failed logins for one user name from one address within the window (or in a row) before
further tries from that address are refused: slows guessing of one account to a few
passwords an hour, which Argon2 alone would not. Counted per address, so a stranger's tries
do not lock the account's holder out at their own desk."""

LOGIN_LOCKOUT_MAX_SECONDS = 24 * 3600
"""Longest lockout: each failure past the limit doubles the last one (15, 30, 60 min, ...)."""

LOGIN_BACKOFF_HORIZON_SECONDS = 24 * 3600
"""How far back failures in a row count towards the backoff."""

LOGIN_CONCURRENT_CHECKS = 2
"""Password checks one server process runs at once: Argon2 takes 64 MiB and ~50 ms of a
core each, so a burst of logins costs at most this much per process (2 cores here)."""

LOGIN_CHECK_WAIT_SECONDS = 2.0
"""How long a login waits for a free check before it is refused with 429: a morning's rush
of clerks queues for well under this, a flood is turned away at once."""

LOGIN_MAX_FAILURES_PER_ADDRESS = 20
"""Failed logins from one address within the window (a whole office shares one address, so
it is higher than the per-user limit)."""

VERIFY_MAX_PER_ADDRESS = 20
"""Signature checks one address may ask of the public `POST /api/verify` per window: a
citizen checks a result or two (an office behind one address a few more), while each check
costs a PDF parse and chain validation (and may fetch revocation data), so an
unauthenticated loop must not be free."""

VERIFY_WINDOW_SECONDS = 60
"""The window VERIFY_MAX_PER_ADDRESS counts over (a fixed window in Redis)."""

VERIFY_DEADLINE_SECONDS = 20.0
"""Wall time one public signature check may take, fetching included: a signed result of a
few signatures verifies in well under a second offline, and a responder that has not
answered by then is not going to help a citizen waiting at a counter."""

VERIFY_WORKERS = 2
"""Threads of each server process that run public signature checks (not the app's shared
pool, so checks stuck on slow responders never hold the threads pages are served from)."""

VERIFY_QUEUE = 4
"""Checks that may wait for one of those threads; past them, 503 `verify_busy` at once."""

VERIFY_FETCH_TIMEOUT = 5.0
"""Seconds one OCSP or CRL request may take in all (connect, send, read), never more than
what is left of the check's deadline."""

VERIFY_FETCH_MAX_BYTES = 4 * 1024 * 1024
"""Largest OCSP response or CRL fetched during a check: an OCSP response is a few KB, the
CRL of a national CA a few MB at most."""

VERIFY_MAX_FETCHES = 8
"""OCSP and CRL requests one check may make in all (a chain of three certificates needs at
most six: an OCSP response and a CRL each)."""

VERIFY_MAX_SIGNATURES = 50
"""Signatures and document timestamps a checked PDF may carry (a result has a handful)."""

VERIFY_MAX_DSS_ITEMS = 200
"""Certificates, OCSP responses and CRLs a PDF's DSS and signatures may carry for each
kind (a B-LTA result carries a few dozen)."""

VERIFY_MAX_FIELD_DEPTH = 32
"""How deep a checked PDF's form field tree may nest (/Kids in /Kids); real forms nest a
few levels, and pyHanko walks the tree recursively."""

VERIFY_MAX_FIELDS = 5000
"""Form fields (nodes of the field tree) a checked PDF may have."""

VERIFY_MAX_DECODED_BYTES = 64 * 1024 * 1024
"""Bytes all the streams a check decodes may inflate to in all (pyHanko's default is
256 MiB per document; verifying reads the DSS, object streams and signature dictionaries,
not page images)."""

ACCOUNT_NOTICE_DAYS = 30
"""Changes to an account (its password reset or changed, switched off or on) are shown to
its holder and to admins for this long: a leader back from a fortnight away still sees that
an admin reset their password."""

PASSWORD_MIN_LENGTH = 10
"""Shortest password accepted when an account is made (NIST SP 800-63B asks for 8 at least)."""

HTTP_PORT = 8000
"""Where `sohoa serve` listens by default (loopback unless --host is given)."""

HTTP_WORKERS = 2
"""Server processes of `sohoa serve`: requests are mostly CPU (database reads, templates),
so one process per core of a small office server; the load benchmark measures it."""

PORTAL_COMPONENT_FILES = "any"
"""How the national portal's digitization figure (766 record 4.2, "Có file đính kèm trong
thành phần hồ sơ") reads a dossier's component files: `any` (at least one component has a
file: the description's words) or `all` (every component handed in has one). DOMAIN: the
description does not say which; `any` is its literal reading."""

LATE_ENTRY_DAYS = 7
"""A dossier received on paper while the system was down may be entered afterwards with the
time it was really received (`sohoa dossier new --received-at`), at most this many days
back and never in the future; the event log's own time shows when it was entered."""

SUPPLEMENT_REQUEST_WORKING_DAYS = 3
"""A supplement is requested within this many working days of receipt (procedure texts of
2025 under Decree 118/2025/NĐ-CP); later requests are allowed but warned and logged. Today's
rules (config.onestop): a dossier received earlier keeps its version's."""

APOLOGY_WORKING_DAYS_BEFORE = 1
"""The apology letter may be written from this many working days before the appointment
(Decree 118/2025/NĐ-CP: sent before the deadline is missed). DOMAIN: the decree's text on
how early was not found; one working day is today's reading (config.onestop)."""

VALIDITY_SCOPE = "Toàn quốc"
"""A digitization result's scope of validity when its document prints none and its type's
catalogue entry names none. DOMAIN: Circular 01/2023/TT-VPCP asks for the scope "where any";
papers issued by a Vietnamese authority (ID cards, civil-status extracts, certificates) are
valid nationwide unless they say otherwise, which is today's reading, not a quoted rule."""

SAME_DAY_CUTOFF = "15:00"
"""A same-day procedure's dossier received after this hour (office time) is due the next
working day (procedure texts of 2025; config.onestop)."""

WORKING_HOURS = (("08:00", "12:00"), ("13:00", "17:00"))
"""The office's working hours, for procedures counted in working hours. DOMAIN: set by each
province's working-hours decision; this is the common 8-hour day."""

ARCHIVES_LAW_2024_FROM = "2025-07-01"
"""The day the Law on Archives 2024 (33/2024/QH15) came into force. Work that ended before
it owes the agency archive its records within a year of the day it ended (Law on Archives
2011, Art. 11); work that ended since, as retention.yaml's `transfer_counted_from` says
(config.retention.TransferCount)."""

PREVIEW_WIDTHS = (160, 320, 640, 960, 1280, 1600)
"""Widths (px) a page image is rendered at for the pages: a thumbnail in a dossier's list,
a page on a phone, on a desktop, zoomed. A requested width is rounded up to one of them
(the largest at most), so the cache holds at most six images of a page."""

PREVIEW_MAX_ASPECT = 3
"""A page image is at most this many times as tall as wide (a longer page is cut): a
freak PDF page cannot make the server render a gigapixel strip."""

PREVIEW_TIMEOUT = 30.0
"""Seconds pdftoppm may take to render one page image for a page; a page waits on it."""

LIST_PAGE_SIZE = 50
"""Rows of one page of a list people page through (a unit's dossiers): a screen or two;
the next page is asked by a cursor (the last row's id), so paging stays cheap however
long the list grows."""

LIST_PAGE_MAX = 200
"""Most rows an API client may ask for in one page."""

CIVIL_STATUS_BOOK = "01/{year}"
"""The civil-status book ("Quyển số") a birth or marriage result is numbered from, printed
after its number ("Số: 05, Quyển số: 01/2026", config.formats.civil_status_number); {year}
is the year of issue. The number runs on through the year in each unit's book
(storage.signatures.allocate_issue_number). DOMAIN: certificates print the book as
"NN/YYYY" in practice; how a commune names a second book of the same year is not confirmed
against Circular 04/2020/TT-BTP (civil-status books), so the designation is configurable:
set it to the book in use."""
