#!/usr/bin/env bash
# OCSP responder for the test PKI at http://127.0.0.1:8788 (the URL in the test signer certificates), so that
# `pdfsig -nssdir sql:.kyso/nssdb file.pdf` (which checks OCSP unless given -no-ocsp) and B-LT code get a
# "good" answer. The intermediate CA signs the responses. Usage: ocsp-responder.sh start|stop|status|run
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PID_FILE=$KYSO_DIR/ocsp.pid
LOG_FILE=$KYSO_DIR/ocsp.log

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
# Only for the "port taken" check before starting: openssl ocsp would wait -timeout on such a silent client.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$OCSP_PORT") 2>/dev/null; }
ready() { grep -q 'waiting for OCSP client connections' "$LOG_FILE" 2>/dev/null; }

serve() {
  cd "$PKI_DIR"
  # One request at a time. -ignore_err keeps serving after a malformed request; -timeout stops a silent client
  # from blocking everyone else (openssl 3.0's -multi ignores SIGTERM, so it is not used). openssl ocsp
  # listens on every interface.
  exec openssl ocsp -port "$OCSP_PORT" -ignore_err -timeout 5 -index sub-ca/index.txt -CA sub.cert.pem \
    -rsigner sub.cert.pem -rkey sub.key.pem -nmin 60
}

case "${1:-}" in
  start)
    [ -f "$PKI_DIR/sub-ca/index.txt" ] || die "no test PKI: run scripts/testenv/make-all.sh first"
    if running; then exit 0; fi
    listening && die "port $OCSP_PORT is already in use by another program"
    serve >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for _ in $(seq 50); do ready && { log "OCSP responder on $OCSP_URL (pid $(cat "$PID_FILE"))"; exit 0; }; sleep 0.1; done
    die "the OCSP responder did not start; see $LOG_FILE"
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
