#!/usr/bin/env bash
# NSS databases for poppler's pdfsig:
#   $KYSO_DIR/nssdb         verifier: trusts only the test root ("C,C,"), so
#                           `pdfsig -nssdir sql:.kyso/nssdb file.pdf` reports our signatures as trusted. The
#                           intermediate is deliberately absent: the signature must carry its chain.
#   $KYSO_DIR/nssdb-signer  the leader's key from leader.p12 (nickname "leader") plus the trusted root, for
#                           `pdfsig -add-signature -nssdir sql:.kyso/nssdb-signer -nick leader` (benchmark).
# Both databases have an empty password.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

hash=$(inputs_hash "$TESTENV_DIR/common.sh" "$TESTENV_DIR/make-nssdb.sh" <(stamp_value pki))
if is_fresh nssdb "$hash" "$NSSDB_DIR/cert9.db" "$NSSDB_SIGNER_DIR/key4.db"; then exit 0; fi

if ! command -v certutil >/dev/null || ! command -v pk12util >/dev/null; then
  log "certutil/pk12util (libnss3-tools) not found: skipping the NSS databases"
  exit 0
fi
log "creating NSS databases in $NSSDB_DIR and $NSSDB_SIGNER_DIR"

ROOT_NICK="KySo TEST RootCA G2"
for db in "$NSSDB_DIR" "$NSSDB_SIGNER_DIR"; do
  rm -rf "$db"
  mkdir -p "$db"
  certutil -N -d "sql:$db" --empty-password
  certutil -A -d "sql:$db" -n "$ROOT_NICK" -t "C,C," -i "$PKI_DIR/root.cert.der"
done
pk12util -i "$PKI_DIR/leader.p12" -d "sql:$NSSDB_SIGNER_DIR" -W "$P12_PASSWORD" -K "" >/dev/null
certutil -L -d "sql:$NSSDB_SIGNER_DIR" -n leader >/dev/null || die "the leader key did not land in $NSSDB_SIGNER_DIR"

mark_done nssdb "$hash"
log "NSS databases ready"
