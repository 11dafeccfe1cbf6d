#!/usr/bin/env bash
# The command-line demo (no browser): install, build, make the demo token, then sign a sample "Quyết định" as the
# leader (signature image at #ChuKyLanhDao) and issue it as the clerk (seal, number, place and date) with the kyso
# CLI, and show what poppler's pdfsig says of both signatures. `npm start` runs the browser demo instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PUPPETEER_SKIP_DOWNLOAD=1 npm_config_nodedir=/usr

bash scripts/install-system-deps.sh
[ -d node_modules/pkcs11js ] || npm ci --no-audit --no-fund
npm run build
bash scripts/testenv/make-all.sh
. .kyso/env.sh

OUT=out/demo/cli
mkdir -p "$OUT"
npx tsx scripts/samples/make-samples.ts "$OUT"
export KYSO_PIN="$KYSO_TEST_PIN"   # the demo token's test PIN
npx kyso sign "$OUT/quyet-dinh.pdf" -o "$OUT/quyet-dinh.lanh-dao.pdf" --module "$KYSO_SOFTHSM_MODULE" \
  --token "$KYSO_TEST_TOKEN" --cert leader --mode approval --image "$OUT/chu-ky.png"
npx kyso sign "$OUT/quyet-dinh.lanh-dao.pdf" -o "$OUT/quyet-dinh.ban-hanh.pdf" --module "$KYSO_SOFTHSM_MODULE" \
  --token "$KYSO_TEST_TOKEN" --cert org --mode issue --seal "$OUT/con-dau.png" \
  --doc-number "125/QĐ-UBND" --place "Quảng Nam" --date "$(date +%F)"
pdftoppm -r 80 -png -f 1 -l 1 "$OUT/quyet-dinh.ban-hanh.pdf" "$OUT/quyet-dinh.ban-hanh"

# pdfsig asks the OCSP responder named in the test certificates; serve it on 127.0.0.1 while it checks.
npx tsx scripts/testenv/with-responders.ts pdfsig -nssdir "$KYSO_TEST_NSSDB" "$OUT/quyet-dinh.ban-hanh.pdf"
echo
echo "Kết quả / results: $OUT (quyet-dinh.ban-hanh.pdf, quyet-dinh.ban-hanh-1.png)"
