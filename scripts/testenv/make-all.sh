#!/usr/bin/env bash
# Builds the whole test environment in .kyso/ (PKI, SoftHSM tokens, NSS databases, fault-injection module).
# Each step reruns only when its inputs (its script, the layout version, the step it builds on) changed, so a
# second run takes a few milliseconds. --force rebuilds everything. Parallel callers wait for each other.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mkdir -p "$KYSO_DIR"
[ "${1:-}" = --force ] && rm -rf "$STAMP_DIR"

exec 9>"$KYSO_DIR/.testenv.lock"
if command -v flock >/dev/null; then flock 9; fi

bash "$TESTENV_DIR/make-pki.sh"
bash "$TESTENV_DIR/make-ltv.sh"
bash "$TESTENV_DIR/make-token.sh"
bash "$TESTENV_DIR/make-nssdb.sh"
bash "$TESTENV_DIR/make-fault.sh"
