#!/usr/bin/env bash
# Installs the Debian packages sohoa needs, only those that are missing.
# Run by `make setup` (and so by `make demo`, `make test`, `make bench`); safe to run again.
set -euo pipefail

packages=(
  tesseract-ocr tesseract-ocr-vie   # OCR engine and its Vietnamese model
  redis-server                      # the embedded job queue server
  poppler-utils                     # pdftoppm (page rendering), pdfsig, pdftotext
  fonts-liberation2 fonts-croscore fonts-dejavu-core  # Times-metric fonts with Vietnamese glyphs
  softhsm2                          # a PKCS#11 token in software: tests and the sign-agent demo
  libnss3-tools                     # certutil: the NSS database pdfsig trusts the test root from
  openssl                           # keys made "elsewhere" in tests (sohoa sign --pkcs12)
  chromium                          # the browser tests' headless browser (Playwright drives it)
)
if [[ -n "${SOHOA_EXTRA_PACKAGES:-}" ]]; then
  read -r -a extra <<<"$SOHOA_EXTRA_PACKAGES"
  packages+=("${extra[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing system packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: need root (or sudo) to run: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
