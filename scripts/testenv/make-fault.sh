#!/usr/bin/env bash
# Builds the fault-injection PKCS#11 module (tests/fixtures/pkcs11-fault/) into $KYSO_DIR/fault/libkyso-fault.so.
# Needs gcc and the PKCS#11 headers that ship with pkcs11js; skipped with a note when either is missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SRC=$REPO_ROOT/tests/fixtures/pkcs11-fault/kyso-fault-pkcs11.c
HEADERS=${KYSO_PKCS11_HEADERS:-$REPO_ROOT/node_modules/pkcs11js/includes/pkcs11}
OUT=$FAULT_DIR/libkyso-fault.so
hash=$(inputs_hash "$TESTENV_DIR/common.sh" "$TESTENV_DIR/make-fault.sh" "$SRC")
if is_fresh fault "$hash" "$OUT"; then exit 0; fi

CC=${CC:-gcc}
if ! command -v "$CC" >/dev/null; then log "$CC not found: skipping the fault-injection module"; exit 0; fi
if [ ! -f "$HEADERS/pkcs11t.h" ]; then log "PKCS#11 headers not found in $HEADERS (npm install?): skipping the fault-injection module"; exit 0; fi

log "building $OUT"
mkdir -p "$FAULT_DIR/build"
# Name table for the control file: every CKR_/CKF_/CKM_/CKG_ constant the headers define.
grep -ohE '^#define (CKR|CKF|CKM|CKG)_[A-Z0-9_]+[[:space:]]' "$HEADERS/pkcs11t.h" \
  | awk '{ if (!seen[$2]++) printf "  { \"%s\", %s },\n", $2, $2 }' >"$FAULT_DIR/build/kyso-fault-names.h"
"$CC" -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -std=gnu11 \
  -I"$FAULT_DIR/build" -I"$HEADERS" -o "$OUT.tmp" "$SRC" -ldl
mv "$OUT.tmp" "$OUT"
mark_done fault "$hash"
