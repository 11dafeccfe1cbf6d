#!/usr/bin/env bash
# The test PKI's OCSP responder (127.0.0.1:8788, the URL in the test signer certificates) and CRL / CA-certificate
# server (127.0.0.1:8789), outside `npm test` (whose global setup starts its own): `pdfsig` checks OCSP unless given
# -no-ocsp and reports "Unknown issue with Certificate" when nobody answers.
# Usage: responders.sh start|stop|status|run
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PID_FILE=$KYSO_DIR/responders.pid
LOG_FILE=$KYSO_DIR/responders.log

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
ready() { grep -q '^listening' "$LOG_FILE" 2>/dev/null; }
serve() { cd "$REPO_ROOT" && exec node --import tsx scripts/testenv/serve-responders.ts; }

case "${1:-}" in
  start)
    [ -f "$PKI_DIR/sub-ca/index.txt" ] || die "no test PKI: run scripts/testenv/make-all.sh first"
    if running; then exit 0; fi
    serve >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 100); do
      ready && { log "$(cat "$LOG_FILE") (pid $(cat "$PID_FILE"))"; exit 0; }
      running || break
      sleep 0.1
    done
    rm -f "$PID_FILE"
    die "the responders did not start (port taken?); see $LOG_FILE"
    ;;
  stop)
    if running; then kill "$(cat "$PID_FILE")"; fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running; then echo "running (pid $(cat "$PID_FILE"))"; else echo "stopped"; exit 1; fi
    ;;
  run) serve ;;
  *) echo "usage: $0 start|stop|status|run" >&2; exit 2 ;;
esac
