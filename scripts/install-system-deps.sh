#!/usr/bin/env bash
# Debian packages the product's tests and demo use: the token (SoftHSM2, OpenSC), the independent validators
# (poppler, qpdf, mupdf, NSS tools, openssl), a compiler for the PKCS#11 test module, Chromium, and xmllint (the
# policy templates' XML is checked with it), msitools and wixl (the MSI is built and read back with them).
set -euo pipefail
PKGS=(softhsm2 opensc poppler-utils qpdf mupdf-tools libnss3-tools openssl gcc libc6-dev make python3 fontconfig fonts-liberation2 chromium libxml2-utils msitools wixl)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
