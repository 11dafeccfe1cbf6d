# Shared settings for the test environment scripts (sourced, not run).
# Everything generated lands in $KYSO_DIR (default: <repo>/.kyso, git-ignored). Test values only: the PINs,
# passwords and keys below protect nothing and must never be used for real documents.

set -euo pipefail

TESTENV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TESTENV_DIR/../.." && pwd)
KYSO_DIR=${KYSO_DIR:-$REPO_ROOT/.kyso}
PKI_DIR=$KYSO_DIR/pki
SOFTHSM_DIR=$KYSO_DIR/softhsm
NSSDB_DIR=$KYSO_DIR/nssdb
NSSDB_SIGNER_DIR=$KYSO_DIR/nssdb-signer
FAULT_DIR=$KYSO_DIR/fault
STAMP_DIR=$KYSO_DIR/stamps

# Bump when the layout of .kyso changes in a way the script hashes below would not notice.
TESTENV_LAYOUT=1

DEMO_TOKEN_LABEL="KySo Demo"
EMPTY_TOKEN_LABEL="KySo Empty"
USER_PIN=123456
SO_PIN=12345678
P12_PASSWORD=kyso-test

# Where the test certificates say their OCSP responder, CRLs and CA certificates live; responders.ts serves them
# (openssl ocsp wants the request right after the first "/", hence no path in OCSP_URL).
OCSP_PORT=8788
OCSP_URL=http://127.0.0.1:$OCSP_PORT/
PKI_URL_BASE=http://127.0.0.1:8789

# Token objects: label, CKA_ID (hex). Keys and certificates share the id. "ca" is the intermediate CA
# certificate stored without a key, as Vietnamese tokens ship it; "root" the root certificate, likewise, so
# signatures carry the whole chain.
TOKEN_OBJECTS=(leader:01 org:02 ecdsa:03 expired:04 notyet:05 ca:10 root:11)

log() { printf '[testenv] %s\n' "$*" >&2; }
die() { printf '[testenv] error: %s\n' "$*" >&2; exit 1; }

# Content hash of the given files (comment lines of shell scripts left out) plus the layout version and the output
# folder; a step reruns when it changes.
inputs_hash() {
  local sum=sha256sum f
  command -v sha256sum >/dev/null || sum="shasum -a 256" # macOS
  {
    echo "layout=$TESTENV_LAYOUT dir=$KYSO_DIR"
    for f in "$@"; do
      if [[ $f == *.sh ]]; then grep -v '^[[:space:]]*#' "$f" || true; else cat "$f"; fi
    done
  } | $sum | cut -c1-32
}

# is_fresh STEP HASH FILE...: the step's stamp matches and every listed output exists.
is_fresh() {
  local step=$1 hash=$2; shift 2
  [ -f "$STAMP_DIR/$step" ] && [ "$(cat "$STAMP_DIR/$step")" = "$hash" ] || return 1
  local f
  for f in "$@"; do [ -e "$f" ] || return 1; done
}

mark_done() {
  mkdir -p "$STAMP_DIR"
  printf '%s\n' "$2" >"$STAMP_DIR/$1"
}

stamp_value() { cat "$STAMP_DIR/$1" 2>/dev/null || echo none; }

find_softhsm_module() {
  local m
  for m in ${KYSO_SOFTHSM_MODULE:-} /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
    /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/lib64/pkcs11/libsofthsm2.so /usr/lib64/softhsm/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so /opt/homebrew/lib/softhsm/libsofthsm2.so; do
    [ -n "$m" ] && [ -f "$m" ] && { echo "$m"; return 0; }
  done
  return 1
}

# utc_time OFFSET: an openssl ca date (YYYYMMDDHHMMSSZ) OFFSET from now, e.g. "-1 day", "+5 years".
utc_time() {
  if date -u -d "now $1" +%Y%m%d%H%M%SZ 2>/dev/null; then return 0; fi
  # BSD date (macOS): "-1 day" -> -v-1d, "+5 years" -> -v+5y (only days and years are used here)
  local n unit
  read -r n unit <<<"$1"
  date -u -v"${n}${unit:0:1}" +%Y%m%d%H%M%SZ
}
